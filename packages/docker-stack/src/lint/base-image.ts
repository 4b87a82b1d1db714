import { argDeclarations, parseDockerfile, shippedBase, takesBaseFrom, type DockerfileSummary } from '../stack/dockerfile';
import { SPEC_FILE, type ImageSpec } from '../stack/model';
import type { ParsedStack } from '../stack/parse';
import { BASE_TAG, instructionsOf, report, type LintContext } from './context';

const USES_BASE_TAG = /\$\{?BASE_TAG\b/;

interface Finding {
  line?: number;
  message: string;
}

/**
 * The one FROM/BASE_TAG rule: a child is built FROM its parent's image at the tag the build passes as BASE_TAG
 * (declared before FROM); a root gets no BASE_TAG, so its FROM must not use it.
 */
function baseImageFindings(image: ImageSpec, parent: ImageSpec | undefined, dockerfile: DockerfileSummary, specFile: string): Finding[] {
  const froms = instructionsOf(dockerfile, 'FROM');
  if (!image.dependOn) {
    return froms
      .filter((instruction) => USES_BASE_TAG.test(instruction.args))
      .map((from) => ({
        line: from.line,
        message:
          `FROM must not use BASE_TAG: "${image.name}" is a root in ${specFile} (no depend_on), so the build passes no BASE_TAG; ` +
          `use a fixed tag or a build_args entry`,
      }));
  }
  const parentName = parent?.imageName ?? image.dependOn;
  const expected = `${parentName}:\${${BASE_TAG}}`;
  if (takesBaseFrom(dockerfile, parentName)) {
    return [];
  }
  const shipped = shippedBase(dockerfile);
  if (!shipped) {
    return [{ message: `has no FROM: it must start with "ARG ${BASE_TAG}" and "FROM ${expected}" (the parent in ${specFile})` }];
  }
  const found = shipped.base;
  if (found !== expected && found !== `${parentName}:$${BASE_TAG}`) {
    // In a multi-stage Dockerfile only the last stage ships: it must descend from the parent; builders may not.
    const stage = froms.length > 1 ? 'the last stage (the one that ships) must descend from ' : 'FROM must be ';
    return [{ line: shipped.line, message: `${stage}${expected} (the parent in ${specFile}), found ${found}` }];
  }
  const declaredLater = instructionsOf(dockerfile, 'ARG').find((arg) => argDeclarations(arg.args).some((declaration) => declaration.name === BASE_TAG));
  return [
    {
      line: shipped.line,
      message:
        `FROM ${found} needs "ARG ${BASE_TAG}" before it` +
        (declaredLater ? ` (line ${declaredLater.line} declares it after FROM, where FROM cannot see it)` : '') +
        ': the build passes the parent\'s tag as BASE_TAG',
    },
  ];
}

/** The rule as a lint finding (an error of `nx lint <image>`). */
export function checkBase(context: LintContext): void {
  context.checks += 1;
  for (const { line, message } of baseImageFindings(context.image, context.parent, context.dockerfile, context.specFile)) {
    report(context, context.dockerfilePath, line, message);
  }
}

/** The rule for children as the plugin's warnings: the graph still loads, and `nx lint <image>` says what is wrong. */
export function baseImageWarnings({ spec, dockerfiles }: ParsedStack): string[] {
  const byName = new Map(spec.images.map((image) => [image.name, image]));
  const specFile = `${spec.stackDir}/${SPEC_FILE}`;
  return spec.images.flatMap((image) => {
    const parent = image.dependOn ? byName.get(image.dependOn) : undefined;
    if (!parent || baseImageFindings(image, parent, parseDockerfile(dockerfiles[image.name]), specFile).length === 0) {
      return [];
    }
    return [
      `${spec.stackDir}/${image.name}/Dockerfile: image "${image.name}" should start with ` +
        `"ARG BASE_TAG" and "FROM ${parent.imageName}:\${BASE_TAG}" so it is built on the parent it was just built with`,
    ];
  });
}
