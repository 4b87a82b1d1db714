def test_has_its_own_file_and_its_parents(container):
    assert container.run("cat /opt/stack/example-python") == (0, "example-python on example-base\n")
    assert container.run("cat /opt/stack/example-python.d/version.txt")[0] == 0
    assert container.run("test -f /opt/stack/example-base")[0] == 0


def test_greeting_script_from_the_root(container):
    code, output = container.run("hello")
    assert code == 0 and output.startswith("hello, from")
