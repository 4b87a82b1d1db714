/**
 * Rules for every workflow and composite action in .github: schema-valid (action-validator), no untrusted value
 * interpolated into a script, no secret on a command line, the Nx Cloud token and permissions on every job, and
 * local references that exist. What each workflow does per event is in main-workflow.spec.ts and
 * tag-workflows.spec.ts, where the `if:` expressions are evaluated with GitHub's own library.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { actionFiles, allSteps, loadWorkflow, root, stepsOf, usesAction, workflowFiles } from './support/workflows';

/** `${{ }}` contexts that must only reach a script through `env:` (script injection). */
const FORBIDDEN_IN_RUN: RegExp[] = [
  /\$\{\{[^}]*\bgithub\.event\./,
  /\$\{\{[^}]*\binputs\./,
  /\$\{\{[^}]*\bgithub\.head_ref\b/,
  /\$\{\{[^}]*\bgithub\.base_ref\b/,
  /\$\{\{[^}]*\bgithub\.ref_name\b/,
  /\$\{\{[^}]*\bsecrets\./,
  /\$\{\{[^}]*\bvars\./,
];

describe('all workflows', () => {
  it('has the four workflows of the former pipeline', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['main.yml', 'tag.yml', 'tag_global_stable.yml', 'test_gpu.yml']));
  });

  it('interpolates no untrusted ${{ }} value into a run: script', () => {
    const offenders = allSteps()
      .filter(({ step }) => step.run && FORBIDDEN_IN_RUN.some((re) => re.test(step.run as string)))
      .map(({ where }) => where);
    expect(offenders).toEqual([]);
  });

  it('puts no registry login or token on a command line', () => {
    const offenders = allSteps()
      .filter(({ step }) => step.run && /docker\s+login|--password|\$\{?(GITHUB_TOKEN|REGISTRY_PASSWORD|NX_CLOUD_ACCESS_TOKEN)\b/.test(step.run))
      .map(({ where }) => where);
    expect(offenders).toEqual([]);
  });

  it('passes NX_CLOUD_ACCESS_TOKEN from the secret to every job that runs Nx', () => {
    const checked: string[] = [];
    for (const file of workflowFiles) {
      const wf = loadWorkflow(file);
      for (const [jobId, job] of Object.entries(wf.jobs)) {
        if (!stepsOf(job).some((s) => /\bnpx nx(-cloud)?\b/.test(s.run ?? ''))) continue;
        checked.push(`${file} › ${jobId}`);
        const token = job.env?.NX_CLOUD_ACCESS_TOKEN ?? wf.env?.NX_CLOUD_ACCESS_TOKEN;
        expect([file, jobId, token]).toEqual([file, jobId, '${{ secrets.NX_CLOUD_ACCESS_TOKEN }}']);
      }
    }
    // Guards the loop above: with no job found it would check nothing.
    expect(checked).toEqual(
      expect.arrayContaining([
        'main.yml › build',
        'main.yml › agents',
        'main.yml › wiki',
        'tag.yml › promote',
        'tag_global_stable.yml › promote',
      ]),
    );
  });

  it('grants nothing by default and declares the permissions of every job', () => {
    for (const file of workflowFiles) {
      const wf = loadWorkflow(file);
      expect([file, wf.permissions]).toEqual([file, {}]);
      for (const [jobId, job] of Object.entries(wf.jobs)) {
        expect([file, jobId, typeof job.permissions]).toEqual([file, jobId, 'object']);
      }
    }
  });

  it('gives actions: read to every job that runs nrwl/nx-set-shas (it reads earlier runs on push)', () => {
    const jobs = workflowFiles.flatMap((file) =>
      Object.entries(loadWorkflow(file).jobs)
        .filter(([, job]) => stepsOf(job).some(usesAction('nrwl/nx-set-shas')))
        .map(([jobId, job]) => [`${file} › ${jobId}`, job.permissions?.actions]),
    );
    expect(jobs).toEqual([['main.yml › build', 'read']]);
  });

  it('refers only to local workflows and actions that exist', () => {
    const refs = [
      ...workflowFiles.flatMap((file) => Object.values(loadWorkflow(file).jobs).map((job) => job.uses ?? '')),
      ...allSteps().map(({ step }) => step.uses ?? ''),
    ].filter((ref) => ref.startsWith('./'));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = path.join(root, ref);
      const exists = ref.endsWith('.yml') ? fs.existsSync(target) : fs.existsSync(path.join(target, 'action.yml'));
      expect([ref, exists]).toEqual([ref, true]);
    }
  });
});

describe('action-validator (the schemas of GitHub workflows and actions)', () => {
  const cli = path.join(root, 'node_modules/@action-validator/cli/cli.mjs');
  const files = [
    ...workflowFiles.map((file) => `.github/workflows/${file}`),
    ...actionFiles.map((file) => path.relative(root, file)),
  ];

  test.each(files)('%s is valid', (file) => {
    const res = spawnSync(process.execPath, [cli, file], { cwd: root, encoding: 'utf8' });
    expect(`${res.stdout}${res.stderr}`).not.toMatch(/error/i);
    expect(res.status).toBe(0);
  });

  test('rejects a workflow with an unknown key, so the check can fail', () => {
    const broken = path.join(os.tmpdir(), `broken-${process.pid}.yml`);
    fs.writeFileSync(broken, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n');
    try {
      expect(spawnSync(process.execPath, [cli, broken], { encoding: 'utf8' }).status).not.toBe(0);
    } finally {
      fs.rmSync(broken, { force: true });
    }
  });
});
