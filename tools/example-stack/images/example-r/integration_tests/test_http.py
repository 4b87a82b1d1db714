"""Starts the image as it runs for users (its web server) and asks it for its page over HTTP."""
import time

import requests


def test_serves_its_page(client, image):
    server = client.containers.run(image, detach=True, ports={"8080/tcp": ("127.0.0.1", None)}, labels={"datahub-stack-test": "1"})
    try:
        server.reload()
        port = server.attrs["NetworkSettings"]["Ports"]["8080/tcp"][0]["HostPort"]
        deadline = time.time() + 20
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except requests.ConnectionError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        assert response.status_code == 200
        assert "<h1>example-r</h1>" in response.text
    finally:
        server.remove(force=True)
