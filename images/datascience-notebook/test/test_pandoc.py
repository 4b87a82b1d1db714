def test_pandoc(container):
    out = container.check_output(["bash", "-c", "echo '**BOLD**' | pandoc"])
    assert "<p><strong>BOLD</strong></p>" in out
