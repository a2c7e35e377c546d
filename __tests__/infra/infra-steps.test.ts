// infra/terraform-steps.mjs, run as the composite action runs it (`node infra/terraform-steps.mjs`, inputs
// in INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), against a recording stand-in for
// terraform put first on PATH.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO = process.cwd();
const SCRIPT = path.join(REPO, 'infra', 'terraform-steps.mjs');

// Stand-in for terraform: no Terraform binary can be installed here (and CI has none), so this small Node
// script takes its place on PATH. It appends each invocation (argv and cwd) to $STANDIN_LOG as one JSON
// line, prints canned output for `show -json`, `show -no-color` and `output -json`, and exits with the
// code in $STANDIN_FAIL ("plan:1" makes `terraform plan` exit 1).
const STAND_IN = `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify({ args, cwd: process.cwd() }) + '\\n');
const [failing, code] = (process.env.STANDIN_FAIL || ':').split(':');
if (failing === args[0]) {
  process.stderr.write('Error: stand-in terraform told to fail ' + args[0] + '\\n');
  process.exit(Number(code));
}
if (args[0] === 'show' && args[1] === '-json') process.stdout.write(process.env.STANDIN_PLAN_JSON ?? '{}');
else if (args[0] === 'show') process.stdout.write(process.env.STANDIN_PLAN_TEXT ?? '');
else if (args[0] === 'output') process.stdout.write(process.env.STANDIN_OUTPUT_JSON ?? '{}');
else process.stdout.write('stand-in terraform ' + args[0] + ' ok\\n');
`;

const PLAN_JSON = JSON.stringify({
  format_version: '1.2',
  resource_changes: [
    { address: 'aws_s3_bucket.site', change: { actions: ['create'] } },
    { address: 'aws_cloudfront_distribution.site', change: { actions: ['create'] } },
    { address: 'aws_cloudfront_function.viewer_request', change: { actions: ['update'] } },
    { address: 'aws_acm_certificate.site[0]', change: { actions: ['create', 'delete'] } },
    { address: 'aws_route53_record.old', change: { actions: ['delete'] } },
    { address: 'data.aws_caller_identity.current', change: { actions: ['read'] } },
    { address: 'aws_s3_bucket_versioning.site', change: { actions: ['no-op'] } },
  ],
});

const PLAN_TEXT = `Terraform will perform the following actions:

  # aws_s3_bucket.site will be created
  + resource "aws_s3_bucket" "site" {
      + bucket = "parlai-123456789012-us-east-1"
    }

Plan: 3 to add, 1 to change, 2 to destroy.
`;

const OUTPUT_JSON = JSON.stringify({
  bucket_name: { sensitive: false, type: 'string', value: 'parlai-123456789012-us-east-1' },
  bucket_arn: { sensitive: false, type: 'string', value: 'arn:aws:s3:::parlai-123456789012-us-east-1' },
  distribution_id: { sensitive: false, type: 'string', value: 'E2EXAMPLE123' },
  distribution_domain_name: { sensitive: false, type: 'string', value: 'd111111abcdef8.cloudfront.net' },
  site_url: { sensitive: false, type: 'string', value: 'https://parl.ai' },
  preview_distribution_id: { sensitive: false, type: 'string', value: 'E3PREVIEW456' },
  preview_url: { sensitive: false, type: 'string', value: 'https://d222222abcdef8.cloudfront.net' },
  log_bucket_name: { sensitive: false, type: 'string', value: null },
});

let work: string;
let binDir: string;
let moduleDir: string;
let runCount = 0;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'infra-steps-'));
  binDir = path.join(work, 'bin');
  moduleDir = path.join(work, 'module');
  mkdirSync(binDir);
  mkdirSync(moduleDir);
  writeFileSync(path.join(binDir, 'terraform'), STAND_IN);
  chmodSync(path.join(binDir, 'terraform'), 0o755);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Array<{ args: string[]; cwd: string }>;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses a GITHUB_OUTPUT file (name<<DELIMITER ... DELIMITER, or name=value lines). */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      if (i >= lines.length) throw new Error(`unterminated output ${name}`);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

function runSteps(
  inputs: Record<string, string>,
  standIn: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
): Run {
  const dir = path.join(work, `run-${++runCount}`);
  mkdirSync(dir);
  const log = path.join(dir, 'terraform.log');
  const outputFile = path.join(dir, 'github_output');
  const summaryFile = path.join(dir, 'step_summary');
  writeFileSync(log, '');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    STANDIN_LOG: log,
    STANDIN_PLAN_JSON: PLAN_JSON,
    STANDIN_PLAN_TEXT: PLAN_TEXT,
    STANDIN_OUTPUT_JSON: OUTPUT_JSON,
    ...standIn,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name}`] = value;
  const result = spawnSync(process.execPath, [SCRIPT], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { args: string[]; cwd: string }),
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

const BASE_INPUTS = {
  STATE_BUCKET: 'my-tfstate',
  STATE_KEY: 'parlai-site-deploy/parlai.tfstate',
  STATE_REGION: 'eu-west-1',
  SITE_NAME: 'parlai',
  DOMAIN_NAME: 'parl.ai',
  HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
  AWS_REGION: 'us-east-1',
  APPLY: 'false',
};

function subcommands(run: Run): string[] {
  return run.calls.map((call) =>
    call.args[0] === 'show' || call.args[0] === 'output' ? call.args.slice(0, 2).join(' ') : (call.args[0] as string),
  );
}

describe('infra/terraform-steps.mjs', () => {
  it('plan only: init, plan, show, output; never apply', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(subcommands(run)).toEqual(['init', 'plan', 'show -json', 'show -no-color', 'output -json']);
    expect(run.calls.every((call) => call.cwd === moduleDir)).toBe(true);
    expect(run.stdout).toContain('apply is false: the plan was not applied.');
  });

  it('passes the backend configuration to init exactly', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir });
    expect(run.calls[0]?.args).toEqual([
      'init',
      '-input=false',
      '-reconfigure',
      '-backend-config=bucket=my-tfstate',
      '-backend-config=key=parlai-site-deploy/parlai.tfstate',
      '-backend-config=region=eu-west-1',
    ]);
  });

  it('plans into a saved plan file with the site variables', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir });
    expect(run.calls[1]?.args).toEqual([
      'plan',
      '-input=false',
      '-lock-timeout=5m',
      '-out=tfplan',
      '-var=site_name=parlai',
      '-var=domain_name=parl.ai',
      '-var=hosted_zone_id=Z0123456789ABCDEFGHIJ',
      '-var=aws_region=us-east-1',
    ]);
    expect(run.calls[2]?.args).toEqual(['show', '-json', 'tfplan']);
    expect(run.calls[3]?.args).toEqual(['show', '-no-color', 'tfplan']);
  });

  it('applies the saved plan when apply is true, between show and output', () => {
    const run = runSteps({ ...BASE_INPUTS, APPLY: 'true', WORKING_DIRECTORY: moduleDir });
    expect(run.status).toBe(0);
    expect(subcommands(run)).toEqual(['init', 'plan', 'show -json', 'show -no-color', 'apply', 'output -json']);
    expect(run.calls[4]?.args).toEqual(['apply', '-input=false', '-lock-timeout=5m', 'tfplan']);
  });

  it('writes the terraform outputs as step outputs', () => {
    const run = runSteps({ ...BASE_INPUTS, APPLY: 'true', WORKING_DIRECTORY: moduleDir });
    expect(run.outputs).toEqual({
      bucket: 'parlai-123456789012-us-east-1',
      'distribution-id': 'E2EXAMPLE123',
      'distribution-domain': 'd111111abcdef8.cloudfront.net',
      'site-url': 'https://parl.ai',
      'preview-distribution-id': 'E3PREVIEW456',
      'preview-url': 'https://d222222abcdef8.cloudfront.net',
      'has-changes': 'true',
    });
  });

  it('maps a null output (a feature that is off) to an empty step output', () => {
    const outputs = JSON.parse(OUTPUT_JSON) as Record<string, { value: unknown }>;
    (outputs.preview_distribution_id as { value: unknown }).value = null;
    (outputs.preview_url as { value: unknown }).value = null;
    const run = runSteps(
      { ...BASE_INPUTS, APPLY: 'true', WORKING_DIRECTORY: moduleDir },
      { STANDIN_OUTPUT_JSON: JSON.stringify(outputs) },
    );
    expect(run.status).toBe(0);
    expect(run.outputs['preview-distribution-id']).toBe('');
    expect(run.outputs['preview-url']).toBe('');
    expect(run.outputs['distribution-id']).toBe('E2EXAMPLE123');
  });

  it('passes the preview and access-log variables only when they are set', () => {
    const run = runSteps({
      ...BASE_INPUTS,
      PREVIEW_DISTRIBUTION: 'true',
      PREVIEW_DOMAIN_NAME: 'parlai-previews.net',
      PREVIEW_HOSTED_ZONE_ID: 'Z9PREVIEWZONE',
      ACCESS_LOGS: 'true',
      WORKING_DIRECTORY: moduleDir,
    });
    expect(run.status).toBe(0);
    expect(run.calls[1]?.args.slice(-4)).toEqual([
      '-var=preview_distribution=true',
      '-var=preview_domain_name=parlai-previews.net',
      '-var=preview_hosted_zone_id=Z9PREVIEWZONE',
      '-var=access_logs=true',
    ]);
    const defaults = runSteps({ ...BASE_INPUTS, PREVIEW_DISTRIBUTION: 'false', WORKING_DIRECTORY: moduleDir });
    expect(defaults.calls[1]?.args.some((arg) => /preview|access_logs/.test(arg))).toBe(false);
  });

  it('rejects a preview-distribution or access-logs value that is not a boolean', () => {
    for (const [name, input] of [
      ['preview-distribution', 'PREVIEW_DISTRIBUTION'],
      ['access-logs', 'ACCESS_LOGS'],
    ] as const) {
      const run = runSteps({ ...BASE_INPUTS, [input]: 'on', WORKING_DIRECTORY: moduleDir });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`::error::Input '${name}' must be true or false, not 'on'.`);
      expect(run.calls).toEqual([]);
    }
  });

  it('renders the plan in the job summary inside <details>, with add/change/destroy counts', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir });
    // create: bucket, distribution, certificate (replace); update: function; delete: certificate (replace), record.
    expect(run.summary).toContain('**Plan:** 3 to add, 1 to change, 2 to destroy.');
    expect(run.summary).toContain('<details><summary>Show plan</summary>');
    expect(run.summary).toContain('</details>');
    expect(run.summary).toContain('+ resource "aws_s3_bucket" "site" {');
    expect(run.summary).toContain('`parlai` (plan only, not applied)');
    const details = run.summary.slice(run.summary.indexOf('<details>'), run.summary.indexOf('</details>'));
    expect(details).toContain('Terraform will perform the following actions:');
  });

  it('keeps backticks in the plan from closing the code block', () => {
    const run = runSteps(
      { ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir },
      { STANDIN_PLAN_TEXT: 'value = "```\\n</details>"\n' },
    );
    expect(run.status).toBe(0);
    expect(run.summary).toMatch(/^````terraform$/m);
    expect(run.summary).toMatch(/^````$/m);
  });

  it('says so when the plan JSON cannot be read, and still succeeds', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir }, { STANDIN_PLAN_JSON: 'not json' });
    expect(run.status).toBe(0);
    expect(run.summary).toContain('change counts unavailable');
    expect(run.stdout).toContain('::warning::');
    expect(run.outputs['has-changes']).toBe('');
  });

  it('counts an empty plan as no changes', () => {
    const run = runSteps(
      { ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir },
      { STANDIN_PLAN_JSON: JSON.stringify({ resource_changes: [] }) },
    );
    expect(run.summary).toContain('**Plan:** 0 to add, 0 to change, 0 to destroy.');
    expect(run.outputs['has-changes']).toBe('false');
  });

  it('plan failure: exits non-zero, ::error:: names terraform plan and its exit code, nothing after runs', () => {
    const run = runSteps({ ...BASE_INPUTS, APPLY: 'true', WORKING_DIRECTORY: moduleDir }, { STANDIN_FAIL: 'plan:1' });
    expect(run.status).not.toBe(0);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error title=terraform plan failed::terraform plan failed with exit code 1$/m);
    expect(subcommands(run)).toEqual(['init', 'plan']);
    expect(subcommands(run)).not.toContain('apply');
    expect(run.outputs).toEqual({});
  });

  it('init failure propagates its exit code', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir }, { STANDIN_FAIL: 'init:3' });
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('::error title=terraform init failed::terraform init failed with exit code 3');
    expect(subcommands(run)).toEqual(['init']);
  });

  it('apply failure: exits with its code and writes no outputs', () => {
    const run = runSteps({ ...BASE_INPUTS, APPLY: 'true', WORKING_DIRECTORY: moduleDir }, { STANDIN_FAIL: 'apply:2' });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('::error title=terraform apply failed::terraform apply failed with exit code 2');
    expect(subcommands(run)).toEqual(['init', 'plan', 'show -json', 'show -no-color', 'apply']);
    expect(run.outputs).toEqual({});
    // The plan was still rendered before apply ran.
    expect(run.summary).toContain('<details>');
  });

  it('output failure is an error too', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir }, { STANDIN_FAIL: 'output:1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('terraform output -json failed with exit code 1');
  });

  it('plan only before the first apply: empty outputs, a notice, success', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir }, { STANDIN_OUTPUT_JSON: '{}\n' });
    expect(run.status).toBe(0);
    expect(run.outputs).toEqual({
      bucket: '',
      'distribution-id': '',
      'distribution-domain': '',
      'site-url': '',
      'preview-distribution-id': '',
      'preview-url': '',
      'has-changes': 'true',
    });
    expect(run.stdout).toContain('::notice::No site infrastructure in the state yet');
  });

  it('apply that leaves no outputs is an error', () => {
    const run = runSteps(
      { ...BASE_INPUTS, APPLY: 'true', WORKING_DIRECTORY: moduleDir },
      { STANDIN_OUTPUT_JSON: '{}' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::terraform apply finished but the state has no bucket_name or distribution_id output.',
    );
  });

  it('passes empty domain and zone as empty variables and defaults the rest', () => {
    const run = runSteps({ STATE_BUCKET: 'my-tfstate', SITE_NAME: 'docs', WORKING_DIRECTORY: moduleDir });
    expect(run.status).toBe(0);
    expect(run.calls[0]?.args).toContain('-backend-config=key=parlai-site-deploy/terraform.tfstate');
    expect(run.calls[0]?.args).toContain('-backend-config=region=us-east-1');
    expect(run.calls[1]?.args).toEqual(
      expect.arrayContaining([
        '-var=site_name=docs',
        '-var=domain_name=',
        '-var=hosted_zone_id=',
        '-var=aws_region=us-east-1',
      ]),
    );
    expect(subcommands(run)).not.toContain('apply');
  });

  it('defaults the working directory to the module shipped next to infra/', () => {
    const run = runSteps({ ...BASE_INPUTS });
    expect(run.status).toBe(0);
    expect(existsSync(path.join(REPO, 'terraform', 'versions.tf'))).toBe(true);
    expect(run.calls.every((call) => call.cwd === path.join(REPO, 'terraform'))).toBe(true);
  });

  it('accepts True/TRUE and rejects anything that is not a boolean', () => {
    expect(subcommands(runSteps({ ...BASE_INPUTS, APPLY: 'TRUE', WORKING_DIRECTORY: moduleDir }))).toContain('apply');
    const run = runSteps({ ...BASE_INPUTS, APPLY: 'yes', WORKING_DIRECTORY: moduleDir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("::error::Input 'apply' must be true or false, not 'yes'.");
    expect(run.calls).toEqual([]);
  });

  it('requires state-bucket and site-name before running anything', () => {
    const noBucket = runSteps({ ...BASE_INPUTS, STATE_BUCKET: '', WORKING_DIRECTORY: moduleDir });
    expect(noBucket.status).toBe(1);
    expect(noBucket.stdout).toContain("Input 'state-bucket' is required");
    expect(noBucket.calls).toEqual([]);
    const noSite = runSteps({ ...BASE_INPUTS, SITE_NAME: ' ', WORKING_DIRECTORY: moduleDir });
    expect(noSite.status).toBe(1);
    expect(noSite.stdout).toContain("Input 'site-name' is required");
  });

  it('rejects a working directory that does not exist', () => {
    const run = runSteps({ ...BASE_INPUTS, WORKING_DIRECTORY: path.join(work, 'missing') });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/::error::Working directory '.*missing' does not exist/);
    expect(run.calls).toEqual([]);
  });

  it('reports a missing terraform binary clearly', () => {
    const run = runSteps(
      { ...BASE_INPUTS, WORKING_DIRECTORY: moduleDir },
      {},
      { TERRAFORM_BIN: path.join(work, 'no-such-terraform') },
    );
    expect(run.status).toBe(127);
    expect(run.stdout).toMatch(
      /::error title=terraform init failed::terraform init could not start: .*was not found on PATH/,
    );
  });

  it('passes input values as single arguments, never through a shell', () => {
    const run = runSteps({ ...BASE_INPUTS, SITE_NAME: 'x; touch pwned $(id)', WORKING_DIRECTORY: moduleDir });
    expect(run.calls[1]?.args).toContain('-var=site_name=x; touch pwned $(id)');
    expect(existsSync(path.join(moduleDir, 'pwned'))).toBe(false);
  });

  it('escapes multi-line error text in workflow commands', () => {
    const run = runSteps({ ...BASE_INPUTS, APPLY: 'maybe\n::error::injected', WORKING_DIRECTORY: moduleDir });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("maybe%0A::error::injected'");
    expect(run.stdout).not.toMatch(/^::error::injected/m);
  });
});
