/** The new image's Dockerfile: on its parent's freshly built tag, or for a root on the given base image. */
export function dockerfileText(name: string, from: { parentImageName: string } | { base: string }): string {
  const fromLine = 'base' in from ? `FROM ${from.base}` : `ARG BASE_TAG\nFROM ${from.parentImageName}:\${BASE_TAG}`;
  return [
    `# ${name}: add its packages and files here; npx nx lint ${name} checks this file against spec.yml.`,
    fromLine,
    '',
    '# Read by its test (test/test_image.py).',
    `ENV DATAHUB_STACK_IMAGE=${name}`,
    '',
  ].join('\n');
}

/** One real test, needing no fixture, so it runs under any stack's conftest.py. */
export function testText(name: string): string {
  return `"""${name}: the image runs a command and carries its name (ENV DATAHUB_STACK_IMAGE in its Dockerfile)."""
import os

import docker


def test_runs_and_knows_its_name():
    client = docker.from_env()
    output = client.containers.run(
        os.environ["TEST_IMAGE"],
        ["echo $DATAHUB_STACK_IMAGE"],
        entrypoint=["sh", "-c"],
        user="root",
        remove=True,
        labels={"datahub-stack-test": "1"},
    )
    assert output.decode().strip() == "${name}"
`;
}
