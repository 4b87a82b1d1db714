def test_python_version(container):
    out = container.check_output(["python", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
    major, minor, _ = (int(part) for part in out.strip().split("."))
    assert (major, minor) < (3, 12), out
    assert out.strip() == "3.11.8"
