/**
 * A stack of a few tiny one-layer images on the local busybox base (tools/make-base-image.sh), each with one pytest
 * test, for suites that need the real pipeline but not the example stack's shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type TempWorkspace } from './workspace';

const EXAMPLE = join(REPO_ROOT, 'tools/example-stack/images');

/** Writes `images/` with one root image per entry (name -> repository) and commits nothing. */
export function writeTinyStack(ws: TempWorkspace, images: Record<string, string>): void {
  const entries = Object.entries(images);
  ws.write(
    'images/spec.yml',
    [
      `root: [${entries.map(([name]) => name).join(', ')}]`,
      'images:',
      ...entries.flatMap(([name, repository]) => [`  ${name}:`, `    image_name: ${repository}`, '    info_cmds: [FILES]']),
      'tag:',
      '  prefix: "2026.3"',
      'all_info_cmds:',
      '  FILES:',
      '    description: Stack files',
      '    command: ls /opt/stack',
      '',
    ].join('\n'),
  );
  ws.write('images/change_ignore.json', readFileSync(join(EXAMPLE, 'change_ignore.json'), 'utf8'));
  ws.write('images/conftest.py', readFileSync(join(EXAMPLE, 'conftest.py'), 'utf8'));
  ws.write('images/tests_common/test_common.py', 'def test_runs(container):\n    assert container.run("true")[0] == 0\n');
  for (const [name] of entries) {
    ws.write(`images/${name}/Dockerfile`, `FROM datahub-example-base:busybox\nCOPY ${name}.txt /opt/stack/${name}.txt\n`);
    ws.write(`images/${name}/${name}.txt`, `${name}\n`);
    ws.write(`images/${name}/test/test_${name.replace(/-/g, '_')}.py`, `def test_has_its_file(container):\n    assert container.run("cat /opt/stack/${name}.txt") == (0, "${name}\\n")\n`);
  }
}
