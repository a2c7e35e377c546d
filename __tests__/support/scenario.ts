// Runs the whole pipeline in-process against the in-memory store: the scenario tests read as "given this
// build and this bucket, a deploy does this". No child process, no server; milliseconds per deploy.
import type { EventContext } from '../../src/context/event.js';
import { ACTION_INPUTS } from '../../src/context/action-inputs.js';
import { readInputs, withDefaults } from '../../src/context/inputs.js';
import { type RunContext, resolveRunContext } from '../../src/context/run-context.js';
import { type Ports, deploy } from '../../src/pipeline/deploy.js';
import { remotePorts } from '../../src/pipeline/dry-run.js';
import type { Outcome } from '../../src/pipeline/outcome.js';
import type { Log } from '../../src/pipeline/ports.js';
import type { RedirectStore } from '../../src/pipeline/redirects.js';
import { MemoryCdn, MemoryStore } from './memory-store.js';

const SPECS = [...ACTION_INPUTS];

/** A log that keeps every line, warnings apart. */
export class RecordingLog implements Log {
  readonly lines: string[] = [];
  readonly warnings: string[] = [];
  info = (line: string): void => void this.lines.push(line);
  notice = (line: string): void => void this.lines.push(`notice: ${line}`);
  warning = (line: string): void => {
    this.warnings.push(line);
    this.lines.push(`warning: ${line}`);
  };
  group = (title: string, lines: string[]): void => void this.lines.push(title, ...lines.map((line) => `  ${line}`));
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface ScenarioOptions {
  /** Inputs by their action.yml names; `bucket` and `source-dir` are filled in. */
  inputs?: Record<string, string>;
  store: MemoryStore;
  cdn?: MemoryCdn;
  /** The KeyValueStore the edge reads redirects from (`redirect-store-arn`). */
  redirects?: RedirectStore;
  credentials?: boolean;
  event?: EventContext;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** The build command's exit code (the command is not run). */
  buildExitCode?: number;
  sleep?: (ms: number) => Promise<void>;
  invalidationRetryMs?: number;
  /** The job's cancellation (main.ts aborts it on SIGINT / SIGTERM). */
  signal?: AbortSignal;
  /** The log to write to (a test that reads it while the run goes on passes its own). */
  log?: RecordingLog;
  /** Told the build's number of files (main.ts sizes the heap by it). */
  buildSize?: (files: number) => void;
}

export interface ScenarioRun {
  outcome: Readonly<Outcome>;
  log: RecordingLog;
  context: RunContext;
}

/** One run of the action's pipeline, as main.ts wires it (a dry run gets the read-only wrappers). */
export async function deploySite(sourceDir: string, options: ScenarioOptions): Promise<ScenarioRun> {
  const given: Record<string, string> = { bucket: 'site', 'source-dir': sourceDir, ...options.inputs };
  if (options.cdn && given['distribution-id'] === undefined) given['distribution-id'] = 'EMEMORY1';
  const env = options.env ?? { GITHUB_RUN_ID: String(Math.floor(Math.random() * 1e9)) };
  const now = options.now ?? (() => new Date());
  const inputs = readInputs(
    withDefaults((name) => given[name] ?? '', SPECS),
    env,
    '/',
  );
  const context = resolveRunContext(inputs, options.event ?? { payload: {} }, env, options.credentials ?? true, now());
  const log = options.log ?? new RecordingLog();
  const ports: Ports = {
    ...remotePorts({ store: options.store, cdn: options.cdn, redirects: options.redirects }, inputs.dryRun),
    build: async () => options.buildExitCode ?? 0,
    log,
    now,
    sleep: options.sleep ?? (async () => undefined),
    invalidationRetryMs: options.invalidationRetryMs,
    signal: options.signal,
    buildSize: options.buildSize,
  };
  const outcome = await deploy(context, ports);
  return { outcome, log, context };
}
