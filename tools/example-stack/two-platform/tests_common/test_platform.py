"""Every image runs as the platform it was built for: `uname -m` in its container matches TEST_PLATFORM."""
import os

MACHINE = {"linux/amd64": "x86_64", "linux/arm64": "aarch64"}


def test_runs_as_its_platform(container):
    platform = os.environ.get("TEST_PLATFORM")
    assert platform, "TEST_PLATFORM is not set: the test step sets it for each platform of a multi-platform image"
    assert container.run("uname -m") == (0, f"{MACHINE[platform]}\n")
