#!/usr/bin/env node
// The one script step of the infra composite action (infra/action.yml): init, plan, render the plan into
// the job summary, apply the saved plan when asked, and publish the module's outputs as step outputs.
//
// Plain Node ESM with built-ins only, so the action needs no bundling or npm install. Every input comes in
// through an environment variable that action.yml maps from `inputs.*` (never interpolated into a shell
// script), and terraform is run with an argument vector, never through a shell.
//
// Environment:
//   INPUT_STATE_BUCKET        (required) S3 bucket holding the state
//   INPUT_STATE_KEY           state object key          (default parlai-site-deploy/terraform.tfstate)
//   INPUT_STATE_REGION        region of the state bucket (default us-east-1)
//   INPUT_SITE_NAME           (required) -var site_name
//   INPUT_DOMAIN_NAME         -var domain_name           (default '')
//   INPUT_HOSTED_ZONE_ID      -var hosted_zone_id        (default '')
//   INPUT_AWS_REGION          -var aws_region            (default us-east-1)
//   INPUT_PREVIEW_DISTRIBUTION 'true' -> -var preview_distribution=true   (default false)
//   INPUT_PREVIEW_DOMAIN_NAME  -var preview_domain_name    (default '')
//   INPUT_PREVIEW_HOSTED_ZONE_ID -var preview_hosted_zone_id (default '')
//   INPUT_ACCESS_LOGS         'true' -> -var access_logs=true            (default false)
//                             These four are passed only when set, so a custom working-directory module
//                             without them keeps working.
//   INPUT_APPLY               'true' applies the saved plan; 'false' (default) only plans
//   INPUT_WORKING_DIRECTORY   the Terraform root module  (default: ../terraform next to this script)
//   INPUT_LOCK_TIMEOUT        how long plan/apply wait for the state lock (default 5m)
//   INPUT_LOCK                'false' plans without taking the state lock, so a read-only role can plan
//                             (default 'true'; an apply always locks)
//   TERRAFORM_BIN             terraform executable       (default 'terraform', looked up on PATH)
//   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  files the runner provides; without them outputs go to stdout

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PLAN_FILE = 'tfplan';
// GitHub keeps at most 1 MiB of summary per step; leave room for the surrounding markdown.
const SUMMARY_PLAN_LIMIT = 900 * 1024;

/** Maps terraform output names to this action's output names. */
export const OUTPUT_NAMES = {
  bucket_name: 'bucket',
  distribution_id: 'distribution-id',
  distribution_domain_name: 'distribution-domain',
  site_url: 'site-url',
  preview_distribution_id: 'preview-distribution-id',
  preview_url: 'preview-url',
};

class StepError extends Error {
  /** `command` names the terraform command that failed, for the annotation's title. */
  constructor(message, exitCode = 1, command = '') {
    super(message);
    this.exitCode = exitCode;
    this.command = command;
  }
}

/** Escapes a workflow command's message (the part after "::"), as @actions/core does. */
function escapeData(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text) {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name, message, title) {
  const properties = title ? ` title=${escapeProperty(title)}` : '';
  process.stdout.write(`::${name}${properties}::${escapeData(message)}\n`);
}

function input(env, name, fallback = '') {
  const value = env[`INPUT_${name}`];
  return value === undefined ? fallback : value.trim() || fallback;
}

/** Same spellings as @actions/core's getBooleanInput (YAML 1.2 core schema booleans). */
export function parseBoolean(name, value) {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new StepError(`Input '${name}' must be true or false, not '${value}'.`);
}

export function readConfig(env = process.env, scriptDir = path.dirname(fileURLToPath(import.meta.url))) {
  const config = {
    stateBucket: input(env, 'STATE_BUCKET'),
    stateKey: input(env, 'STATE_KEY', 'parlai-site-deploy/terraform.tfstate'),
    stateRegion: input(env, 'STATE_REGION', 'us-east-1'),
    siteName: input(env, 'SITE_NAME'),
    domainName: input(env, 'DOMAIN_NAME'),
    hostedZoneId: input(env, 'HOSTED_ZONE_ID'),
    awsRegion: input(env, 'AWS_REGION', 'us-east-1'),
    previewDistribution: parseBoolean('preview-distribution', input(env, 'PREVIEW_DISTRIBUTION', 'false')),
    previewDomainName: input(env, 'PREVIEW_DOMAIN_NAME'),
    previewHostedZoneId: input(env, 'PREVIEW_HOSTED_ZONE_ID'),
    accessLogs: parseBoolean('access-logs', input(env, 'ACCESS_LOGS', 'false')),
    apply: parseBoolean('apply', input(env, 'APPLY', 'false')),
    workingDirectory: path.resolve(input(env, 'WORKING_DIRECTORY') || path.join(scriptDir, '..', 'terraform')),
    lockTimeout: input(env, 'LOCK_TIMEOUT', '5m'),
    lock: parseBoolean('lock', input(env, 'LOCK', 'true')),
    terraform: env.TERRAFORM_BIN || 'terraform',
  };
  if (!config.stateBucket)
    throw new StepError("Input 'state-bucket' is required: the S3 bucket that holds the Terraform state.");
  if (!config.siteName) throw new StepError("Input 'site-name' is required.");
  if (config.apply && !config.lock) {
    throw new StepError("Input 'lock' can only be false for a plan: an apply must hold the state lock.");
  }
  if (!/^[0-9]+(ms|s|m|h)$/.test(config.lockTimeout)) {
    throw new StepError(`Lock timeout '${config.lockTimeout}' is not a duration such as 5m or 300s.`);
  }
  if (!existsSync(config.workingDirectory) || !statSync(config.workingDirectory).isDirectory()) {
    throw new StepError(
      `Working directory '${config.workingDirectory}' does not exist: it must be the Terraform module to run.`,
    );
  }
  return config;
}

export function initArgs(config) {
  return [
    'init',
    '-input=false',
    // A runner that kept a .terraform directory from another backend configuration must not ask about
    // migrating state: the backend is exactly what the flags below say.
    '-reconfigure',
    `-backend-config=bucket=${config.stateBucket}`,
    `-backend-config=key=${config.stateKey}`,
    `-backend-config=region=${config.stateRegion}`,
  ];
}

export function planArgs(config) {
  return [
    'plan',
    '-input=false',
    // Without the lock a plan writes nothing to the state bucket (a read-only role can run it); it may then
    // read a state that an apply is changing, which only makes that plan stale, never the state wrong.
    ...(config.lock === false ? ['-lock=false'] : [`-lock-timeout=${config.lockTimeout}`]),
    `-out=${PLAN_FILE}`,
    `-var=site_name=${config.siteName}`,
    `-var=domain_name=${config.domainName}`,
    `-var=hosted_zone_id=${config.hostedZoneId}`,
    `-var=aws_region=${config.awsRegion}`,
    // Optional features: only when asked for (their module defaults are off / empty).
    ...(config.previewDistribution ? ['-var=preview_distribution=true'] : []),
    ...(config.previewDomainName ? [`-var=preview_domain_name=${config.previewDomainName}`] : []),
    ...(config.previewHostedZoneId ? [`-var=preview_hosted_zone_id=${config.previewHostedZoneId}`] : []),
    ...(config.accessLogs ? ['-var=access_logs=true'] : []),
  ];
}

/**
 * Runs terraform with the given arguments in the module directory. With `capture` the standard output is
 * returned (and not shown); otherwise it streams to the log. A non-zero exit becomes a StepError naming
 * the command and its exit code.
 */
function terraform(config, args, { capture = false } = {}) {
  const name = `terraform ${args[0]}`;
  const label = `${name}${args[0] === 'show' || args[0] === 'output' ? ` ${args.slice(1).join(' ')}` : ''}`;
  return new Promise((resolve, reject) => {
    const child = spawn(config.terraform, args, {
      cwd: config.workingDirectory,
      env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    const chunks = [];
    if (capture) child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => {
      const hint =
        error.code === 'ENOENT' ? ` ('${config.terraform}' was not found on PATH: is Terraform set up?)` : '';
      reject(new StepError(`${label} could not start: ${error.message}${hint}`, 127, name));
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(Buffer.concat(chunks).toString('utf8'));
      } else if (signal) {
        reject(new StepError(`${label} was killed by ${signal}`, 1, name));
      } else {
        reject(new StepError(`${label} failed with exit code ${code}`, code, name));
      }
    });
  });
}

async function group(title, fn) {
  process.stdout.write(`::group::${title}\n`);
  try {
    return await fn();
  } finally {
    process.stdout.write('::endgroup::\n');
  }
}

/**
 * Counts resource changes in `terraform show -json` output the way terraform's own plan line does: a
 * replacement is one add and one destroy; reads and no-ops are not counted. Null when unreadable.
 */
export function countChanges(planJson) {
  let plan;
  try {
    plan = JSON.parse(planJson);
  } catch {
    return null;
  }
  if (typeof plan !== 'object' || plan === null) return null;
  const counts = { add: 0, change: 0, destroy: 0 };
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  for (const change of changes) {
    const actions = change?.change?.actions;
    if (!Array.isArray(actions)) continue;
    if (actions.includes('create')) counts.add += 1;
    if (actions.includes('delete')) counts.destroy += 1;
    if (actions.includes('update')) counts.change += 1;
  }
  return counts;
}

/** A fence longer than any run of backticks in the text, so the plan cannot close its code block. */
function fenceFor(text) {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(longest + 1);
}

export function renderSummary({ config, planText, counts }) {
  const mode = config.apply ? 'plan applied' : 'plan only, not applied';
  const headline = counts
    ? `**Plan:** ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy.`
    : '**Plan:** change counts unavailable (could not read `terraform show -json`).';
  let text = planText.replace(/\s+$/, '');
  let truncated = '';
  if (Buffer.byteLength(text, 'utf8') > SUMMARY_PLAN_LIMIT) {
    text = Buffer.from(text, 'utf8').subarray(0, SUMMARY_PLAN_LIMIT).toString('utf8');
    truncated = '\n\n_The plan was truncated to fit the job summary; the full plan is in the step log._';
  }
  const fence = fenceFor(text);
  return [
    `### Terraform: \`${config.siteName}\` (${mode})`,
    '',
    headline,
    '',
    '<details><summary>Show plan</summary>',
    '',
    `${fence}terraform`,
    text,
    fence,
    truncated,
    '</details>',
    '',
    '',
  ].join('\n');
}

/**
 * Turns `terraform output -json` into this action's outputs. Missing outputs (no state yet, nothing
 * applied) become empty strings.
 */
export function mapOutputs(outputJson) {
  let parsed = {};
  const text = outputJson.trim();
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StepError(`terraform output -json printed something that is not JSON: ${error.message}`);
    }
  }
  const outputs = {};
  for (const [terraformName, outputName] of Object.entries(OUTPUT_NAMES)) {
    const value = parsed?.[terraformName]?.value;
    outputs[outputName] = value === undefined || value === null ? '' : String(value);
  }
  return outputs;
}

function writeOutputs(outputs, env) {
  const file = env.GITHUB_OUTPUT;
  for (const [name, value] of Object.entries(outputs)) {
    if (!file) {
      process.stdout.write(`${name}=${value}\n`);
      continue;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  }
}

function writeSummary(markdown, env) {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
  else process.stdout.write(markdown);
}

export async function run(env = process.env) {
  const config = readConfig(env);

  await group('terraform init', () => terraform(config, initArgs(config)));
  await group('terraform plan', () => terraform(config, planArgs(config)));

  const planJson = await terraform(config, ['show', '-json', PLAN_FILE], { capture: true });
  const counts = countChanges(planJson);
  if (!counts) command('warning', 'Could not read the change counts from terraform show -json.');
  const planText = await terraform(config, ['show', '-no-color', PLAN_FILE], { capture: true });
  writeSummary(renderSummary({ config, planText, counts }), env);

  if (config.apply) {
    await group('terraform apply', () =>
      terraform(config, ['apply', '-input=false', `-lock-timeout=${config.lockTimeout}`, PLAN_FILE]),
    );
  } else {
    process.stdout.write('apply is false: the plan was not applied.\n');
  }

  const outputs = mapOutputs(await terraform(config, ['output', '-json'], { capture: true }));
  outputs['has-changes'] = counts ? String(counts.add + counts.change + counts.destroy > 0) : '';
  if (!outputs.bucket || !outputs['distribution-id']) {
    if (config.apply) {
      throw new StepError('terraform apply finished but the state has no bucket_name or distribution_id output.');
    }
    command(
      'notice',
      'No site infrastructure in the state yet: the bucket and distribution outputs are empty until the first apply.',
    );
  }
  writeOutputs(outputs, env);
  return outputs;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  run().catch((error) => {
    if (error instanceof StepError) {
      command('error', error.message, error.command ? `${error.command} failed` : undefined);
      process.exitCode = error.exitCode || 1;
    } else {
      command('error', `Unexpected error: ${error?.stack || error}`);
      process.exitCode = 1;
    }
  });
}
