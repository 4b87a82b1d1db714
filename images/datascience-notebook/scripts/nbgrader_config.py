# System-wide nbgrader configuration (/etc/jupyter/nbgrader_config.py).
# The course comes from NBGRADER_COURSEID (the image sets "NA" so the server starts outside a course).
import os

c = get_config()  # noqa: F821 (provided by traitlets when the config loads)
course_id = os.environ["NBGRADER_COURSEID"]
c.CourseDirectory.root = f"/srv/nbgrader/{course_id}"
c.Exchange.course_id = course_id
c.Exchange.root = "/srv/nbgrader/exchange"
c.ExecutePreprocessor.timeout = 300
