"""What an image's versions.yml pins (copied to /usr/share/datahub/versions/) is what is installed."""

SCRIPT = """
import glob, yaml
from importlib.metadata import version
for path in sorted(glob.glob('/usr/share/datahub/versions/*.yml')):
    for name, want in (yaml.safe_load(open(path)) or {}).get('uv', {}).items():
        print(name, want, version(name).split('+')[0])
"""


def test_uv_pins_installed(container):
    rows = [line.split() for line in container.check_output(["python", "-c", SCRIPT]).splitlines() if line.strip()]
    assert rows, "no uv pins in /usr/share/datahub/versions/*.yml"
    assert [row for row in rows if row[1] != row[2]] == [], "name, pinned, installed"
