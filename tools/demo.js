#!/usr/bin/env node
// The main job on the example stack: keeps tmp/demo/ as a git workspace holding tools/example-stack/images
// (committed, so nx affected and the cache work as in CI), then runs build, test, push, integration-test and
// manifest there. Extra arguments go to nx, e.g. `npm run demo -- --parallel=1`.
const { execFileSync, spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const repo = resolve(__dirname, '..');
const demo = join(repo, 'tmp/demo');
const git = (...args) => execFileSync('git', args, { cwd: demo, encoding: 'utf8' }).trim();

mkdirSync(demo, { recursive: true });
if (!existsSync(join(demo, '.git'))) {
  symlinkSync(join(repo, 'node_modules'), join(demo, 'node_modules'));
  // Nx compiles the plugin's TypeScript with this workspace's tsconfig.base.json: point it at the plugin's sources.
  const tsconfig = { extends: join(repo, 'tsconfig.base.json'), include: ['node_modules/@datahub/docker-stack/src/**/*.ts'], exclude: [] };
  writeFileSync(join(demo, 'tsconfig.base.json'), JSON.stringify(tsconfig, null, 2));
  writeFileSync(join(demo, 'package.json'), JSON.stringify({ name: 'stack-demo', private: true }, null, 2));
  writeFileSync(
    join(demo, 'nx.json'),
    JSON.stringify({ plugins: [{ plugin: '@datahub/docker-stack', options: { stackDir: 'images', python: '/usr/bin/python3' } }] }, null, 2),
  );
  writeFileSync(join(demo, '.gitignore'), 'node_modules\n.nx\nartifacts\nlogs\nmanifests\nwiki\n');
  writeFileSync(join(demo, '.nxignore'), 'images/README.md\n'); // the example stack's ChangeIgnore entry
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'demo@example.invalid');
  git('config', 'user.name', 'demo');
}
// The repository's Nx settings (.env: batch mode, plugins in-process), as in CI.
cpSync(join(repo, '.env'), join(demo, '.env'));
rmSync(join(demo, 'images'), { recursive: true, force: true });
cpSync(join(repo, 'tools/example-stack/images'), join(demo, 'images'), { recursive: true });
git('add', '-A');
if (git('status', '--porcelain')) {
  git('commit', '-q', '-m', 'example stack from tools/example-stack');
}
const nx = spawnSync(
  process.execPath,
  [join(repo, 'node_modules/nx/dist/bin/nx.js'), 'run-many', '-t', 'build', 'test', 'push', 'integration-test', 'manifest', ...process.argv.slice(2)],
  { cwd: demo, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } },
);
if (nx.status === 0) {
  console.log(`\nResults: ${demo}/artifacts, logs, manifests (images pushed to 127.0.0.1:5000/datahub-example/*)`);
}
process.exit(nx.status ?? 1);
