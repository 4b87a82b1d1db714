import type { ExecutorContext } from '@nx/devkit';
import { junitPath } from '../../pipeline/outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { forEachPlatform, platformVariants } from '../../pipeline/platform-variants';
import { allPlatformsPassed, runPytest } from '../../pipeline/pytest';
import { runImageStep, type ImageTask } from '../../pipeline/step';
import { withStackDefaults } from '../../defaults';
import type { ImageTestsExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: ImageTestsExecutorOptions) => withStackDefaults(options);

/**
 * One pytest step against the image: `test` and `integration-test` differ only in their folders. A multi-platform
 * image is tested on every platform (emulated where it is not the engine's), with TEST_PLATFORM and a JUnit file each.
 */
function pytestExecutor(step: 'test' | 'integration-test', folders: (task: ImageTask) => string[]) {
  return (raw: ImageTestsExecutorOptions, context: ExecutorContext) => {
    const options = normalizeOptions(raw);
    return runImageStep(step, options, context, async (task, docker) => {
      const test = async (image: ImageTask) => {
        await ensureBuilt(image, docker);
        return runPytest({
          python: options.python,
          workspaceRoot: image.workspaceRoot,
          paths: folders(image),
          testImage: image.reference,
          junitXml: junitPath(image.image.name, step, image.platform),
          platform: image.platform,
          log: image.log,
        });
      };
      const variants = platformVariants(task);
      if (!variants) {
        return test(task);
      }
      const result = allPlatformsPassed(await forEachPlatform(variants, test));
      task.log.info(result.summary);
      return result;
    });
  };
}

/** The acceptance suites: the stack's `tests_common` and the image's own `test/`, against the built image. */
export const testExecutor = pytestExecutor('test', (task) => [`${task.spec.stackDir}/tests_common`, `${task.spec.stackDir}/${task.image.name}/test`]);

/** The image's `integration_tests/`, run after the push (the plugin infers this target only where the spec asks). */
export const integrationTestExecutor = pytestExecutor('integration-test', (task) => [`${task.spec.stackDir}/${task.image.name}/integration_tests`]);
