/** Before any end-to-end suite: the engine under DOCKER_HOST must be the kind TEST_ENGINE names, with what the suites need. */
import { docker } from './docker';
import { checkEngine } from './engine-under-test';

export default async function globalSetup(): Promise<void> {
  await checkEngine(docker, process.env.DOCKER_HOST || 'unix:///var/run/docker.sock');
}
