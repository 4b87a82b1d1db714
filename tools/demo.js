#!/usr/bin/env node
// The main job on a stack: keeps a git workspace under tmp/ holding the stack (committed, so nx affected and the
// cache work as in CI), then runs build, test, push, integration-test and manifest there. Extra arguments go to
// nx, e.g. `npm run demo -- --parallel=1`.
//   DEMO_STACK      the stack folder to copy (default tools/example-stack/images)
//   DEMO_WORKSPACE  the workspace (default tmp/demo)
//   DEMO_PROMOTE=1  then, as the tag workflow does: promote <prefix>-main to <prefix>-stable, write the wiki and
//                   the summary (npm run demo:debian)
const { execFileSync, spawnSync } = require('node:child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const repo = resolve(__dirname, '..');
const stack = resolve(repo, process.env.DEMO_STACK || 'tools/example-stack/images');
const demo = resolve(repo, process.env.DEMO_WORKSPACE || 'tmp/demo');
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
  writeFileSync(join(demo, '.nxignore'), 'images/README.md\n'); // the stacks' ChangeIgnore entry
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'demo@example.invalid');
  git('config', 'user.name', 'demo');
}
// The repository's Nx settings (.env: batch mode, plugins in-process), as in CI.
cpSync(join(repo, '.env'), join(demo, '.env'));
rmSync(join(demo, 'images'), { recursive: true, force: true });
cpSync(stack, join(demo, 'images'), { recursive: true });
git('add', '-A');
if (git('status', '--porcelain')) {
  git('commit', '-q', '-m', `stack from ${stack.slice(repo.length + 1)}`);
}

// The wiki's links name the repository the images were built from: GitHub's variables in CI, this one here.
const github = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'ucsd-ets/datahub-docker-stack' };

function nx(...args) {
  const run = spawnSync(process.execPath, [join(repo, 'node_modules/nx/dist/bin/nx.js'), ...args], {
    cwd: demo,
    stdio: 'inherit',
    env: { ...github, ...process.env, NX_DAEMON: 'false' },
  });
  if (run.status !== 0) {
    process.exit(run.status ?? 1);
  }
}

nx('run-many', '-t', 'build', 'test', 'push', 'integration-test', 'manifest', ...process.argv.slice(2));
if (process.env.DEMO_PROMOTE === '1') {
  const prefix = /^\s*prefix:\s*"?([^"\s]+)"?/m.exec(readFileSync(join(demo, 'images/spec.yml'), 'utf8'))[1];
  nx('run', 'stack:wiki');
  nx('run', 'stack:promote', `--tag=${prefix}-main`);
  nx('run', 'stack:summary');
}
console.log(`\nResults: ${demo}/artifacts, logs, manifests${process.env.DEMO_PROMOTE === '1' ? ', wiki' : ''} (images in the registry on 127.0.0.1:5000)`);
