"""nbgrader export plugin writing grades in Canvas' gradebook CSV layout.

Shipped for instructors, not active: use it with
    nbgrader export --exporter=canvas_exporter.CanvasCsvExportPlugin [--to FILE] [--student ...] [--assignment ...]
from /usr/share/datahub/scripts on PYTHONPATH.
Columns: Student, ID, SIS User ID, SIS Login ID, Section, then one per assignment (newest first).
SIS Login ID is the nbgrader student id; the other identity columns stay blank for Canvas to fill.
"""
import csv

from nbgrader.plugins import ExportPlugin


class CanvasCsvExportPlugin(ExportPlugin):
    """Canvas-style grades CSV: one row per student, one column per assignment; no submission scores 0.0."""

    def export(self, gradebook):
        dest = self.to or "grades.csv"
        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        assignments.reverse()  # Canvas lists the newest assignment first
        students = [s for s in gradebook.students if not self.student or s.id in self.student]
        self.log.info("Exporting grades of %d students to %s", len(students), dest)
        with open(dest, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [a.name for a in assignments])
            for student in students:
                row = ["", "", "", student.id, ""]
                for assignment in assignments:
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                        row.append(submission.score)
                    except Exception:  # nbgrader raises MissingEntry for "never submitted"
                        row.append(0.0)
                writer.writerow(row)
