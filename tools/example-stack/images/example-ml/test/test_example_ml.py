def test_sits_on_python_and_base(container):
    for name in ("example-ml", "example-python", "example-base"):
        assert container.run(f"test -f /opt/stack/{name}")[0] == 0, name


def test_model_file(container):
    code, output = container.run("cat /opt/stack/example-ml.d/model.txt")
    assert code == 0 and output.startswith("model")


def test_greeting_script_from_the_root(container):
    code, output = container.run("hello")
    assert code == 0 and output.startswith("hello, from")
