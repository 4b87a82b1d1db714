def test_has_its_page(container):
    assert container.run("test -f /www/index.html")[0] == 0


def test_is_not_on_python(container):
    assert container.run("test -f /opt/stack/example-python")[0] != 0
