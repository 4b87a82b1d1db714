// @ts-check
/**
 * One jest run for the whole repository: unit tests beside the code (`*.spec.ts`), the end-to-end suites
 * (`packages/docker-stack-e2e`, real nx CLI + Docker + registry + pytest) and the repository checks in `tools/`.
 */
// The plugin hashes stack files through Nx's workspace context; in a test that must be this process's own
// (a temp workspace), never the repository's daemon.
process.env.NX_DAEMON = 'false';

const typescript = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json', diagnostics: { warnOnly: false } }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: typescript,
      testMatch: ['<rootDir>/packages/docker-stack/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: typescript,
      testMatch: ['<rootDir>/packages/docker-stack-e2e/src/**/*.spec.ts'],
      // The Debian notebook stack takes minutes per image: only when asked (.ci/run asks once).
      testPathIgnorePatterns: process.env.DEBIAN_STACK === '1' ? [] : ['/debian-stack\\.spec\\.ts$'],
      // The engine under DOCKER_HOST is the kind TEST_ENGINE names, or no suite runs (support/engine-under-test.ts).
      globalSetup: '<rootDir>/packages/docker-stack-e2e/src/support/global-setup.ts',
    },
  ],
};
