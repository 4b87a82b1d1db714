"""Each layer of the image was built on its platform: every .arch file records the same machine."""


def test_built_on_one_machine(container):
    code, output = container.run("uname -m; cat /opt/stack/*.arch")
    lines = output.split()
    assert code == 0 and len(lines) >= 2 and len(set(lines)) == 1, output
