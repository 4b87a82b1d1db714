import { argDeclarations } from '../stack/dockerfile';
import { BASE_TAG, report, type LintContext } from './context';

/** ARGs BuildKit provides itself: declaring them without a default is normal. */
const PREDEFINED_ARGS = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDKIT_INLINE_CACHE', 'BUILDKIT_MULTI_PLATFORM', 'BUILDKIT_SANDBOX_HOSTNAME', 'BUILDKIT_SYNTAX', 'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'SOURCE_DATE_EPOCH',
]);

/**
 * Rule: ARGs without a default get a value from spec build_args (BASE_TAG from the build), and every build_arg is
 * an ARG (a warning, an error with strictBuildArgs). (A BASE_TAG build_arg never gets here: the spec refuses it.)
 */
export function checkArgs(context: LintContext): void {
  const { image, dockerfile, dockerfilePath, specFile } = context;
  const provided = new Set(Object.keys(image.buildArgs));
  if (image.dependOn) {
    provided.add(BASE_TAG);
  }
  const globalDefaults = new Set<string>();
  const declared = new Set<string>();
  const reported = new Set<string>();
  let inStage = false;
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword === 'FROM') {
      inStage = true;
      continue;
    }
    if (instruction.keyword !== 'ARG') {
      continue;
    }
    for (const { name, value } of argDeclarations(instruction.args)) {
      context.checks += 1;
      declared.add(name);
      if (value !== undefined) {
        if (!inStage) {
          globalDefaults.add(name);
        }
        continue;
      }
      // Inside a stage, `ARG NAME` without a value takes the default of a global `ARG NAME=...`.
      if ((inStage && globalDefaults.has(name)) || provided.has(name) || PREDEFINED_ARGS.has(name) || reported.has(name)) {
        continue;
      }
      reported.add(name);
      report(
        context,
        dockerfilePath,
        instruction.line,
        name === BASE_TAG
          ? `ARG ${BASE_TAG} has no default and "${image.name}" is a root in ${specFile}, so the build never sets it: give it a default or drop it`
          : `ARG ${name} has no default and ${specFile} gives no build_args.${name} for "${image.name}": add it to build_args or give the ARG a default`,
      );
    }
  }
  for (const name of Object.keys(image.buildArgs)) {
    context.checks += 1;
    if (!declared.has(name)) {
      const path = ['images', image.name, 'build_args', name];
      // Docker builds it with a warning, so lint warns too (a misspelt name silently keeps its default);
      // strictBuildArgs makes it an error, except from a shared block (`<<: *common`), which serves several images.
      const shared = context.specMerged(path);
      const fix = shared ? 'fine if this image does not need it' : 'declare it or remove it';
      const from = shared ? ' (merged in from a shared block)' : '';
      const warning = shared || !context.strictBuildArgs;
      report(context, specFile, context.specLine(path), `build_args.${name}${from} is not declared in ${dockerfilePath} (no "ARG ${name}"), so docker build ignores it: ${fix}`, warning);
    }
  }
}
