/**
 * The engine the end-to-end suites run on: the one DOCKER_HOST points at. TEST_ENGINE says which kind it is
 * (README: "Engines the tests run on"): unset or `host` for the machine's own dockerd, `classic` or `containerd` for
 * tools/engines.sh's Docker 28 with that image store. A private engine a test starts (PrivateDockerd) is of the same
 * kind, so a suite proves one engine at a time. An engine that is not what TEST_ENGINE says, or lacks what the
 * suites need, fails the run naming the engine and the feature: a suite must never pass on an engine it did not test.
 */
import { join } from 'node:path';
import type Docker from 'dockerode';
import { imageStoreOf, type ImageStore } from '@datahub/docker-stack';
import { REPO_ROOT } from './workspace';

export const ENGINE_KINDS = ['host', 'classic', 'containerd'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

export interface EngineUnderTest {
  kind: EngineKind;
  /** Folders to put first on PATH for `dockerd` and `containerd`; none for the host's own. */
  binaries?: string;
  /** The daemon.json of a private engine of this kind; none for the host's (dockerd reads /etc/docker's). */
  daemonConfig?: Record<string, unknown>;
  /** The server version this kind must report (a prefix). */
  version?: string;
  store: ImageStore;
}

/** tools/engines.sh unpacks Debian sid's docker.io and containerd here. */
const ENGINES_ROOT = join(REPO_ROOT, '.engines/root');

export function engineUnderTest(env: NodeJS.ProcessEnv = process.env): EngineUnderTest {
  const kind = env.TEST_ENGINE || 'host';
  if (kind === 'host') {
    return { kind, store: 'classic' };
  }
  if (kind === 'classic' || kind === 'containerd') {
    return {
      kind,
      binaries: `${ENGINES_ROOT}/usr/sbin:${ENGINES_ROOT}/usr/bin`,
      daemonConfig: kind === 'containerd' ? { features: { 'containerd-snapshotter': true } } : {},
      version: '28.',
      store: kind,
    };
  }
  throw new Error(`TEST_ENGINE=${kind} is not an engine the tests know (${ENGINE_KINDS.join(', ')})`);
}

/** BuildKit's build endpoint (`POST /build?version=2`) with sessions: Docker 18.09, API 1.39. */
const BUILDKIT_API = [1, 39];

interface EngineFacts {
  Version: string;
  ApiVersion: string;
  Os: string;
  DriverStatus?: string[][];
  InsecureRegistryCIDRs?: string[];
}

async function engineFacts(docker: Docker): Promise<EngineFacts> {
  const [version, info] = await Promise.all([docker.version(), docker.info()]);
  const { DriverStatus, RegistryConfig } = info as { DriverStatus?: string[][]; RegistryConfig?: { InsecureRegistryCIDRs?: string[] } };
  return { Version: version.Version, ApiVersion: version.ApiVersion, Os: version.Os, DriverStatus, InsecureRegistryCIDRs: RegistryConfig?.InsecureRegistryCIDRs };
}

const storeOf = (facts: EngineFacts): ImageStore => imageStoreOf(facts.DriverStatus);

/** What the engine lacks of what `wanted` and the suites need, each as a feature; empty when it has it all. */
function missingFeatures(facts: EngineFacts, wanted: EngineUnderTest): string[] {
  const api = facts.ApiVersion.split('.').map(Number);
  const missing: string[] = [];
  if (facts.Os !== 'linux' || api[0] < BUILDKIT_API[0] || (api[0] === BUILDKIT_API[0] && api[1] < BUILDKIT_API[1])) {
    missing.push(`BuildKit builds on Linux (POST /build?version=2, API ${BUILDKIT_API.join('.')} or later)`);
  }
  if (wanted.version && !facts.Version.startsWith(wanted.version)) {
    missing.push(`Docker ${wanted.version}x (TEST_ENGINE=${wanted.kind})`);
  }
  if (storeOf(facts) !== wanted.store) {
    missing.push(`the ${wanted.store} image store (TEST_ENGINE=${wanted.kind})`);
  }
  if (!facts.InsecureRegistryCIDRs?.includes('127.0.0.0/8')) {
    missing.push('plain-HTTP pushes to a registry on 127.0.0.0/8 (insecure-registries)');
  }
  return missing;
}

/** Resolves when the engine behind `docker` (at `host`) is the kind `wanted` and has what the suites need. */
export async function checkEngine(docker: Docker, host: string, wanted: EngineUnderTest = engineUnderTest()): Promise<void> {
  const facts = await engineFacts(docker);
  const missing = missingFeatures(facts, wanted);
  if (missing.length > 0) {
    throw new Error(
      `the engine at ${host} (Docker ${facts.Version}, API ${facts.ApiVersion}, ${facts.Os}, ${storeOf(facts)} image store) ` +
        `does not have what the tests need: ${missing.join('; ')}`,
    );
  }
}
