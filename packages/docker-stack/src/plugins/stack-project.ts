import type { ProjectConfiguration } from '@nx/devkit';
import { SPEC_FILE, type StackSpec } from '../stack/model';
import { PLUGIN, STACK_PROJECT } from './plugin-name';

/** The `stack` project: the targets that work on the whole stack in the registry and the wiki. */
export function stackProject(spec: StackSpec): ProjectConfiguration {
  const options = { stackDir: spec.stackDir };
  return {
    name: STACK_PROJECT,
    root: spec.stackDir,
    projectType: 'application',
    tags: ['docker-stack'],
    metadata: { description: `The stack defined by ${spec.stackDir}/${SPEC_FILE}: promotion and wiki pages` },
    targets: {
      promote: {
        executor: `${PLUGIN}:promote`,
        options,
        cache: false,
        metadata: { description: 'retag the whole stack in the registry: <prefix>-<branch> -> <prefix>-stable, or with --global <prefix>-stable -> stable' },
      },
      'tag-unchanged': {
        executor: `${PLUGIN}:tag-unchanged`,
        options,
        cache: false,
        metadata: { description: 'give every image <prefix>-<branch> by a registry-side copy of its content tag (no pull, no build): the unchanged images after nx affected on main' },
      },
      'merge-index': {
        executor: `${PLUGIN}:merge-index`,
        options,
        cache: false,
        metadata: { description: 'write each multi-platform image\'s index from its platforms\' content tags once every platform\'s runner (STACK_PLATFORM) has pushed: all or nothing' },
      },
      'new-generation': {
        executor: `${PLUGIN}:new-generation`,
        options,
        cache: false,
        metadata: { description: 'move the rebuild generation on in the registry before a full rebuild: no image built before it is reused' },
      },
      wiki: {
        executor: `${PLUGIN}:wiki`,
        options,
        cache: false,
        metadata: { description: 'put this build\'s manifest pages into wiki/ (a build adds no Home.md row; promotion does)' },
      },
      gc: {
        executor: `${PLUGIN}:gc`,
        options,
        cache: false,
        metadata: { description: 'list (or with --yes delete) content tags build-<hash> no kept tag points to, older than --keep-days (30)' },
      },
    },
  };
}
