/**
 * The one owner of the stack's tag names. A build writes `<prefix>-<branch>` and `build-<hash>`; promotion moves
 * `<prefix>-<branch>` to `<prefix>-stable`, and with `--global` `<prefix>-stable` to `stable`. The prefix is a
 * year.quarter such as `2026.3`. Tags follow Docker's grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
 */
import { git } from '../util/git';

export const STABLE = 'stable';
/** Tags that promotion owns: a branch must never produce them. */
const RESERVED = [STABLE, 'latest'];
const MAX_TAG_LENGTH = 128;
const PREFIX = '[0-9]{4}\\.[0-9]+';
const TAG_PREFIX = new RegExp(`^${PREFIX}$`);
const BRANCH_TAG = new RegExp(`^(${PREFIX})-([A-Za-z0-9_][A-Za-z0-9_.-]*)$`);

/** Whether `text` is a year.quarter prefix such as `2026.3`. */
export function isTagPrefix(text: string): boolean {
  return TAG_PREFIX.test(text);
}

/** `<prefix>-stable`: what promotion writes, and the build cache when the branch has no image yet. */
export const stableTag = (prefix: string) => `${prefix}-${STABLE}`;

/** `build-<Nx task hash>`: names an image's content in the registry, whatever the branch. */
export const contentTag = (hash: string) => `build-${hash}`;

/**
 * One platform's tag beside a multi-platform index: `<tag>-<os>-<arch>[-<variant>]` (`build-…-linux-arm64`,
 * `2026.3-main-linux-arm64`). The index itself keeps the plain tag, so pulls pick their platform from it.
 */
export const platformTag = (tag: string, platform: string) => `${tag}-${platform.replace(/\//g, '-')}`;

/** The tag holding the stack's rebuild generation (registry/stack-generation.ts), in its first root's repository. */
export const GENERATION_TAG = 'stack-generation';

/** Whether a tag is a content tag (`build-<hash>`), the only kind `stack:gc` ever deletes. */
export const isContentTag = (tag: string) => /^build-[A-Za-z0-9_.-]+$/.test(tag);

/** Prefix and branch of a `<prefix>-<branch>` tag, or `undefined` when `tag` is not one. */
export function parseBranchTag(tag: string): { prefix: string; branch: string } | undefined {
  const match = BRANCH_TAG.exec(tag);
  return match ? { prefix: match[1], branch: match[2] } : undefined;
}

/** The branch being built: the PR's head branch, else the pushed ref's name, else the checked-out git branch. */
export function currentBranch(env: NodeJS.ProcessEnv, cwd: string): string {
  const fromEnv = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  if (fromEnv) {
    return fromEnv;
  }
  const branch = git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD');
  if (branch === undefined) {
    throw new Error('Cannot tell the branch: not a git checkout and neither GITHUB_HEAD_REF nor GITHUB_REF_NAME is set.');
  }
  if (!branch || branch === 'HEAD') {
    throw new Error('Cannot tell the branch: HEAD is detached. Check out a branch or set GITHUB_REF_NAME.');
  }
  return branch;
}

/**
 * `<prefix>-<branch>` as a valid Docker tag: characters outside `[A-Za-z0-9_.-]` become `-`, the branch part
 * never starts with `.` or `-`, and the whole tag fits in 128 characters. Branches named like a promotion tag
 * are refused, so a build can never overwrite `<prefix>-stable`.
 */
export function branchTag(prefix: string, branch: string): string {
  const cleaned = branch
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, MAX_TAG_LENGTH - prefix.length - 1)
    .replace(/[.-]+$/, '');
  if (!cleaned) {
    throw new Error(`Branch "${branch}" gives no usable Docker tag: use letters, digits, "_", "." or "-".`);
  }
  if (RESERVED.includes(cleaned.toLowerCase())) {
    throw new Error(
      `Branch "${branch}" would give the tag "${prefix}-${cleaned}", which only promotion may write. Build from another branch.`,
    );
  }
  return `${prefix}-${cleaned}`;
}
