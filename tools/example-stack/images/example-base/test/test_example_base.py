"""The root image: its own file, the greeting build arg and the hello script copied from files/."""


def test_has_its_own_file(container):
    assert container.run("cat /opt/stack/example-base") == (0, "example-base: hello\n")


def test_hello_prints_the_greeting(container):
    code, output = container.run("hello")
    assert code == 0 and output.startswith("hello, from"), output


def test_is_the_root(container):
    for child in ("example-python", "example-ml", "example-r"):
        assert container.run(f"test -e /opt/stack/{child}")[0] != 0, child
