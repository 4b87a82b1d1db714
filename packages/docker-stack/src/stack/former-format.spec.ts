import { foldersFor, lineOf, sources, specError, VALID_SPEC } from './parse.fixtures';
import { parseStack } from './parse';

/** A spec in the format of the former repository before 2023 (plans per Python version), trimmed. */
const PRE_2023 = `images:
  base-notebook:
    image_name: ucsdets/datahub-base-notebook
    dbuild_env:
      PYTHON39:
        PYTHON_VERSION: python-3.9.5
    manifests: [PY_VER]
  scipy-ml-notebook:
    image_name: ucsdets/scipy-ml-notebook
    depend_on: base-notebook
    skip_plans: ['PYTHON38']
    manifests: [PY_VER]
plans:
  PYTHON39:
    tag_prefix: '2023.2'
    tag_stable_postfix: -stable
manifests:
  PY_VER:
    description: Python Version
    command: python --version
`;

describe('a spec in the pre-2023 format', () => {
  it('gets one error that says so, names every old key and what replaces it', () => {
    const error = specError(sources(PRE_2023, foldersFor('base-notebook', 'scipy-ml-notebook')));
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem).toMatchObject({ file: 'images/spec.yml', line: PRE_2023.split('\n').indexOf('plans:') + 1 });
    expect(problem.message).toContain('spec format used before 2023');
    expect(problem.message).toContain(
      'old keys: plans, manifests, images.base-notebook.dbuild_env, images.base-notebook.manifests, images.scipy-ml-notebook.skip_plans, images.scipy-ml-notebook.manifests',
    );
    for (const replacement of ['plans.<plan>.tag_prefix → tag.prefix', 'manifests (the command list) → all_info_cmds', 'images.<image>.manifests → images.<image>.info_cmds', 'images.<image>.dbuild_env → images.<image>.build_args', 'skip_plans → remove it']) {
      expect(problem.message).toContain(replacement);
    }
    expect(problem.message).not.toContain('unknown');
  });

  it('is told by one old key alone', () => {
    const text = VALID_SPEC.replace(/\n$/, '\nplans:\n  PYTHON39:\n    tag_prefix: "2023.2"\n');
    expect(specError(sources(text)).problems).toEqual([expect.objectContaining({ line: lineOf(text, 'plans:'), message: expect.stringContaining('old keys: plans)') })]);
  });

  it('leaves a current spec alone', () => {
    expect(() => parseStack(sources(VALID_SPEC))).not.toThrow();
  });
});
