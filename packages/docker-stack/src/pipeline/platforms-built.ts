import { existsSync, readFileSync } from 'node:fs';
import type { DockerEngine } from '../docker/docker-engine';
import { SPEC_FILE } from '../stack/model';
import type { ImageTask } from './step';

/** The kernel's name of a platform's CPU, as QEMU's binfmt entries are named (`qemu-aarch64`). */
const QEMU_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', arm: 'arm', '386': 'i386', ppc64le: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** Whether this machine runs binaries of `platform` through a registered, enabled QEMU binfmt entry. */
export function emulated(platform: string, binfmtDir = BINFMT_DIR): boolean {
  const arch = QEMU_ARCH[platform.split('/')[1]];
  const entry = `${binfmtDir}/qemu-${arch}`;
  return arch !== undefined && existsSync(entry) && readFileSync(entry, 'utf8').startsWith('enabled');
}

/** Whether the engine is on this machine, so that this machine's binfmt entries are the ones its builds use. */
const engineIsLocal = (dockerHost = process.env.DOCKER_HOST) => !dockerHost || dockerHost.startsWith('unix://');

/**
 * Each platform of an image that this runner does is built natively when it is the engine's own, else with emulation. When this
 * machine's engine has no emulator for one, the build fails before anything is built, naming the file, the image,
 * the key and how to fix it (a remote engine's emulators cannot be seen from here: its build says it).
 */
export async function checkPlatformsBuildable(task: ImageTask, platforms: string[], docker: DockerEngine, binfmtDir = BINFMT_DIR): Promise<void> {
  const own = await docker.platform();
  const missing = platforms.filter((platform) => platform !== own && engineIsLocal() && !emulated(platform, binfmtDir));
  if (missing.length > 0) {
    throw new Error(
      `${task.spec.stackDir}/${SPEC_FILE}: image "${task.image.name}", key "platforms": ${missing.join(', ')} cannot be built here: ` +
        `the engine is ${own} and no QEMU emulator for ${missing.join(', ')} is registered with binfmt_misc. ` +
        `Run tools/binfmt.sh (it installs qemu-user-static and registers it), build on a runner of that platform, or remove it from "platforms".`,
    );
  }
}
