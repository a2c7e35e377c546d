// Removing a closed pull request's preview deletes past max-deletes and delete: false, so it must never leave
// that pull request's own preview prefix: any other prefix is refused before the store is asked anything.
import { describe, expect, it } from '@jest/globals';
import { ACTION_INPUTS } from '../../src/context/action-inputs.js';
import { readInputs, withDefaults } from '../../src/context/inputs.js';
import type { RunContext } from '../../src/context/run-context.js';
import { deploy } from '../../src/pipeline/deploy.js';
import type { ObjectStore } from '../../src/pipeline/ports.js';

const SPECS = [...ACTION_INPUTS];

function context(prefix: string, number: number): RunContext {
  const given: Record<string, string> = { 'source-dir': 'build', bucket: 'parl.ai', preview: 'true' };
  const inputs = readInputs(
    withDefaults((name) => given[name] ?? '', SPECS),
    {},
    '/repo',
  );
  return {
    inputs: { ...inputs, prefix },
    target: {
      prefix,
      environment: 'preview',
      ref: 'abc',
      pullRequest: { number, headSha: 'abc', action: 'closed' },
      cleanup: true,
    },
    runIdentity: 'local-1',
    run: { id: 'local-1', attempt: '1' },
    credentials: true,
    buildEnv: {},
  };
}

/** A store that records what it was asked, and holds one object under every prefix asked for. */
function recordingStore(calls: string[]): ObjectStore {
  const refuse = (name: string) => async () => {
    calls.push(name);
    throw new Error(`${name} was not expected`);
  };
  return {
    async *listPages(prefix) {
      calls.push(`list ${prefix}`);
      yield [{ key: `${prefix}index.html`, etag: 'e', size: 1, lastModified: new Date(0) }];
    },
    head: refuse('head'),
    get: refuse('get'),
    putFile: refuse('putFile'),
    copyWithHeaders: refuse('copyWithHeaders'),
    putObject: refuse('putObject'),
    putRedirect: refuse('putRedirect'),
    conditionalWrites: refuse('conditionalWrites'),
    copyVersion: refuse('copyVersion'),
    throttled: () => 0,
    deleteKeys: async (keys) => {
      calls.push(`delete ${keys.join(' ')}`);
      return [];
    },
  };
}

const log = { info: () => undefined, warning: () => undefined, notice: () => undefined, group: () => undefined };

describe('removing a preview', () => {
  it.each([
    ['', 'the bucket root'],
    ['previews/', "'previews/'"],
    ['pr-43/', "'pr-43/'"],
    ['previews/pr-4/', "'previews/pr-4/'"],
    ['pr-42/docs/', "'pr-42/docs/'"],
  ])('refuses %j for pull request 42, asking the store nothing', async (prefix, shown) => {
    const calls: string[] = [];
    const outcome = await deploy(context(prefix, 42), {
      store: recordingStore(calls),
      build: async () => 0,
      log,
      now: () => new Date(0),
    });
    expect(outcome.result).toBe('refused');
    expect(outcome.input).toBe('prefix');
    expect(outcome.reason).toContain(`Refusing to remove ${shown}`);
    expect(calls).toEqual([]);
  });

  it.each([['pr-42/'], ['previews/pr-42/']])('removes %j, its own preview prefix', async (prefix) => {
    const calls: string[] = [];
    const outcome = await deploy(context(prefix, 42), {
      store: recordingStore(calls),
      build: async () => 0,
      log,
      now: () => new Date(0),
    });
    expect(outcome.result).toBe('deployed');
    expect(calls).toEqual([`list ${prefix}`, `delete ${prefix}index.html`]);
  });
});
