def test_has_its_own_file_and_its_parents(container):
    assert container.run("cat /opt/stack/example-r") == (0, "example-r on example-base\n")
    assert container.run("test -f /opt/stack/example-base")[0] == 0


def test_has_its_page(container):
    assert container.run("test -f /www/index.html")[0] == 0


def test_is_not_on_python(container):
    # A sibling of example-python, not its child.
    assert container.run("test -f /opt/stack/example-python")[0] != 0


def test_greeting_script_from_the_root(container):
    code, output = container.run("hello")
    assert code == 0 and output.startswith("hello, from")
