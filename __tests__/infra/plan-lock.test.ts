// #14.10: the read-only plan role cannot write the Terraform state lock, so a plan for a pull request runs
// with `lock: false` (`terraform plan -lock=false`); an apply always holds the lock.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

const REPO = process.cwd();
const SCRIPT = pathToFileURL(path.join(REPO, 'infra', 'terraform-steps.mjs')).href;

/** readConfig + planArgs of infra/terraform-steps.mjs for these INPUT_* values, in a child Node. */
function plan(inputs: Record<string, string>): { args?: string[]; error?: string } {
  const env = {
    INPUT_STATE_BUCKET: 'my-tfstate',
    INPUT_SITE_NAME: 'parlai',
    INPUT_WORKING_DIRECTORY: path.join(REPO, 'terraform'),
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name}`, value])),
  };
  const code = `
    const m = await import(${JSON.stringify(SCRIPT)});
    try { console.log(JSON.stringify({ args: m.planArgs(m.readConfig(process.env)) })); }
    catch (error) { console.log(JSON.stringify({ error: error.message })); }`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { args?: string[]; error?: string };
}

describe('plan without the state lock', () => {
  it('lock: false plans with -lock=false and no lock timeout', () => {
    const { args } = plan({ APPLY: 'false', LOCK: 'false' });
    expect(args).toContain('-lock=false');
    expect(args!.some((arg) => arg.startsWith('-lock-timeout'))).toBe(false);
  });

  it('by default (and for every apply) the plan takes the lock', () => {
    expect(plan({ APPLY: 'false' }).args).toContain('-lock-timeout=5m');
    expect(plan({ APPLY: 'true' }).args).toContain('-lock-timeout=5m');
    expect(plan({ APPLY: 'true' }).args).not.toContain('-lock=false');
  });

  it('refuses lock: false with apply: true, and a lock value that is not a boolean', () => {
    expect(plan({ APPLY: 'true', LOCK: 'false' }).error).toBe(
      "Input 'lock' can only be false for a plan: an apply must hold the state lock.",
    );
    expect(plan({ LOCK: 'no' }).error).toBe("Input 'lock' must be true or false, not 'no'.");
  });

  it('the infra action passes lock through, and the reusable workflow locks exactly when it applies', () => {
    const action = parse(readFileSync(path.join(REPO, 'infra/action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      runs: { steps: Array<{ id?: string; env?: Record<string, string> }> };
    };
    expect(action.inputs.lock?.default).toBe('true');
    expect(action.runs.steps.find((step) => step.id === 'terraform')?.env?.INPUT_LOCK).toBe('${{ inputs.lock }}');
    const workflow = parse(readFileSync(path.join(REPO, '.github/workflows/deploy-site.yml'), 'utf8')) as {
      jobs: { infra: { steps: Array<{ uses?: string; with?: Record<string, string> }> } };
    };
    const infra = workflow.jobs.infra.steps.find((step) => step.uses?.endsWith('/infra'))!;
    expect(infra.with!.lock).toBe(infra.with!.apply);
  });
});
