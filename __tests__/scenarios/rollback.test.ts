// Rollback in one step (issue #20): deploy A, deploy B, roll back to A, roll forward to B — the bucket's
// current objects equal each build byte for byte and header for header — against the in-memory bucket with
// S3's versioning (a VersionId per write, delete markers, get and copy by version).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MANIFEST_NAME, PROBE_NAME, decodeManifest } from '../../src/pipeline/manifest.js';
import { outputsOf } from '../../src/report/outputs.js';
import { summaryMarkdown } from '../../src/report/summary.js';
import { MemoryCdn, MemoryStore } from '../support/memory-store.js';
import { deploySite } from '../support/scenario.js';
import { listFiles, writeSite } from '../support/sites.js';

const PNG_RULE = '*.png: public, max-age=86400';

/** Build A, and B: a changed page, a new page, a deleted page, a fingerprinted asset replaced, a header-only change. */
function builds(): { a: string; b: string } {
  const a = writeSite({
    'index.html': '<h1>A</h1>',
    'about.html': 'about A',
    'old.html': 'only in A',
    'assets/app.1a2b3c4d.js': 'console.log("A")',
    'logo.png': 'PNG',
  });
  const b = writeSite({
    'index.html': '<h1>B</h1>',
    'about.html': 'about A',
    'new.html': 'only in B',
    'assets/app.5e6f7a8b.js': 'console.log("B")',
    'logo.png': 'PNG',
  });
  return { a, b };
}

function filesOf(site: string): Record<string, string> {
  return Object.fromEntries(listFiles(site).map((file) => [file, readFileSync(path.join(site, file), 'utf8')]));
}

/** The current objects of the bucket, each with its bytes and headers (the action's own objects left out). */
function bucketState(store: MemoryStore, prefix = '') {
  const state: Record<string, { body: string; contentType: string; cacheControl: string }> = {};
  for (const [key, body] of Object.entries(store.contents(prefix))) {
    if (key.endsWith(MANIFEST_NAME) || key.endsWith(PROBE_NAME)) continue;
    const { headers } = store.current(key)!;
    state[key.slice(prefix.length)] = { body, ...headers };
  }
  return state;
}

const GITHUB = (sha: string, run: number) => ({
  env: { GITHUB_RUN_ID: String(run), GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r' },
  event: { payload: {}, sha },
});

/** Deploys A then B, remembering the state each left. */
async function deployAThenB(store: MemoryStore, cdn?: MemoryCdn, inputs: Record<string, string> = {}) {
  const { a, b } = builds();
  const first = await deploySite(a, {
    store,
    cdn,
    ...GITHUB('a'.repeat(40), 1),
    inputs: { 'asset-grace-period': '0', ...inputs },
  });
  const afterA = bucketState(store, inputs.prefix ? `${inputs.prefix}/` : '');
  const second = await deploySite(b, {
    store,
    cdn,
    ...GITHUB('b'.repeat(40), 2),
    inputs: { 'cache-control': PNG_RULE, 'asset-grace-period': '0', ...inputs },
  });
  const afterB = bucketState(store, inputs.prefix ? `${inputs.prefix}/` : '');
  return { a, b, first: first.outcome, second: second.outcome, afterA, afterB };
}

function rollBack(store: MemoryStore, to: string, options: { cdn?: MemoryCdn; inputs?: Record<string, string> } = {}) {
  return deploySite('', {
    store,
    cdn: options.cdn,
    ...GITHUB('c'.repeat(40), 3),
    inputs: { 'source-dir': '', 'rollback-to': to, 'asset-grace-period': '0', ...options.inputs },
  });
}

describe('rollback', () => {
  it('restores exactly the previous deploy, then rolls forward by id: byte for byte and header for header', async () => {
    const store = new MemoryStore();
    const cdn = new MemoryCdn();
    const { a, b, first, second, afterA, afterB } = await deployAThenB(store, cdn);
    expect(first.deployId).toMatch(/^\d{8}T\d{6}Z-aaaaaaa$/);
    expect(afterA['logo.png']!.cacheControl).toBe('public, max-age=3600');
    expect(afterB['logo.png']!.cacheControl).toBe('public, max-age=86400');
    expect(Object.fromEntries(Object.entries(afterA).map(([key, value]) => [key, value.body]))).toEqual(filesOf(a));

    const requestsBefore = store.requests.length;
    const back = await rollBack(store, 'previous', { cdn });
    expect(back.outcome).toMatchObject({ result: 'deployed', action: 'rollback', restores: first.deployId });
    expect(bucketState(store)).toEqual(afterA);
    // No bytes from the runner: only server-side copies of the recorded versions.
    const writes = store.requests.slice(requestsBefore).filter((request) => /^(PutObject|CopyObject) /.test(request));
    expect(writes).toEqual([]);
    expect(back.outcome.bytesUploaded).toBe(0);
    expect(back.outcome.counts).toMatchObject({ new: 2, changed: 1, headers: 1, deleted: 2, unchanged: 1 });
    // A precise invalidation: the overwritten and deleted paths only (about.html was the same in both).
    expect(cdn.invalidations.at(-1)).toEqual(['/', '/assets/app.5e6f7a8b.js', '/index.html', '/logo.png', '/new.html']);

    const forward = await rollBack(store, second.deployId!, { cdn });
    expect(forward.outcome.result).toBe('deployed');
    expect(bucketState(store)).toEqual(afterB);
    expect(Object.fromEntries(Object.entries(bucketState(store)).map(([key, value]) => [key, value.body]))).toEqual(
      filesOf(b),
    );
  });

  it('records each deploy in the history (the summary shows the last five, the deploy-id output names this one)', async () => {
    const store = new MemoryStore();
    const { first, second } = await deployAThenB(store);
    const back = await rollBack(store, 'a'.repeat(12));
    const history = decodeManifest(store.current(MANIFEST_NAME)!.body!).history;
    expect(history.map((entry) => [entry.kind, entry.result, entry.restored ?? ''])).toEqual([
      ['rollback', 'deployed', first.deployId],
      ['deploy', 'deployed', ''],
      ['deploy', 'deployed', ''],
    ]);
    expect(history[1]!.id).toBe(second.deployId);
    expect(history[1]).toMatchObject({ commit: 'b'.repeat(40), runUrl: 'https://github.com/o/r/actions/runs/2' });
    // Each names the manifest version with its entries; the newest is filled in by the next run's read.
    expect(history.slice(1).every((entry) => entry.manifestVersion)).toBe(true);
    expect(outputsOf(back.outcome)['deploy-id']).toBe(history[0]!.id);
    const summary = summaryMarkdown(back.outcome);
    expect(summary).toContain(`## Rolled back \`s3://site/\` to \`${first.deployId}\``);
    expect(summary).toContain('### Last deploys');
    expect(summary).toContain(`| \`${second.deployId}\` |`);
  });

  it('a dry run shows the plan and writes nothing', async () => {
    const store = new MemoryStore();
    const { afterB } = await deployAThenB(store);
    const before = store.requests.length;
    const { outcome, log } = await rollBack(store, 'previous', { inputs: { 'dry-run': 'true' } });
    expect(outcome).toMatchObject({ result: 'deployed', dryRun: true, counts: { new: 2, deleted: 2 } });
    expect(log.text).toMatch(/rolling back to \d{8}T\d{6}Z-aaaaaaa/);
    expect(
      store.requests.slice(before).filter((request) => !/^(ListObjectsV2|GetObject|HeadObject)/.test(request)),
    ).toEqual([]);
    expect(bucketState(store)).toEqual(afterB);
  });

  it('is refused before any write on a bucket without versioning', async () => {
    const store = new MemoryStore({ unversioned: true });
    await deployAThenB(store);
    const before = store.requests.length;
    const { outcome } = await rollBack(store, 'previous');
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(/in a bucket without versioning: .* Turn versioning on/);
    expect(store.requests.slice(before).filter((request) => !/^(ListObjectsV2|GetObject)/.test(request))).toEqual([]);
  });

  it('is refused before any write when a needed version is gone, naming the objects', async () => {
    const store = new MemoryStore();
    const { afterB } = await deployAThenB(store);
    const firstIndex = store.versions.get('index.html')![0]!;
    store.expire('index.html', firstIndex.versionId);
    const { outcome } = await rollBack(store, 'previous');
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(
      /1 object version\(s\) deploy .* had are gone — expired by the bucket's noncurrent-version lifecycle rule/,
    );
    expect(summaryMarkdown(outcome)).toContain('`index.html`');
    expect(bucketState(store)).toEqual(afterB);
  });

  it('is refused for an unknown id, saying which deploys are recorded', async () => {
    const store = new MemoryStore();
    const { first } = await deployAThenB(store);
    const { outcome } = await rollBack(store, 'nope');
    expect(outcome).toMatchObject({ result: 'refused', input: 'rollback-to' });
    expect(outcome.reason).toContain('no deploy');
    expect(summaryMarkdown(outcome)).toContain(`\`${first.deployId}\``);
  });

  it('works on a preview prefix too', async () => {
    const store = new MemoryStore();
    const { afterA } = await deployAThenB(store, undefined, { prefix: 'pr-42' });
    const { outcome } = await rollBack(store, 'previous', { inputs: { prefix: 'pr-42' } });
    expect(outcome.result).toBe('deployed');
    expect(bucketState(store, 'pr-42/')).toEqual(afterA);
  });

  it('keeps fingerprinted assets of the newer deploy for the grace period', async () => {
    const store = new MemoryStore();
    await deployAThenB(store);
    const { outcome } = await rollBack(store, 'previous', { inputs: { 'asset-grace-period': '7d' } });
    expect(outcome.kept.retained).toBe(1);
    expect(store.current('assets/app.5e6f7a8b.js')).toBeDefined();
  });

  it('racing a deploy: one wins, the other writes nothing, never a mix', async () => {
    for (let seed = 0; seed < 10; seed += 1) {
      let racing = false;
      let reads = 0;
      let open: () => void = () => undefined;
      const allRead = new Promise<void>((resolve) => (open = resolve));
      const store = new MemoryStore({
        before: async (operation, key) => {
          if (!racing) return;
          // The rollback reads the manifest twice (as it is, and the version it restores), the deploy once.
          if (operation === 'GetObject' && key === MANIFEST_NAME && ++reads === 3) open();
          if (operation === 'PutObject(conditional)' && key === MANIFEST_NAME) await allRead;
          for (let turns = (seed * 7 + key.length) % 4; turns > 0; turns -= 1) await new Promise(setImmediate);
        },
      });
      const { afterA } = await deployAThenB(store);
      const c = writeSite({ 'index.html': '<h1>C</h1>', 'c.html': 'C' });
      racing = true;
      const [rollback, deploy] = await Promise.all([
        rollBack(store, 'previous'),
        deploySite(c, { store, ...GITHUB('d'.repeat(40), 9), inputs: { 'asset-grace-period': '0' } }),
      ]);
      const results = [rollback.outcome.result, deploy.outcome.result].sort();
      expect(results).toEqual(['deployed', 'refused']);
      const state = Object.fromEntries(Object.entries(bucketState(store)).map(([key, value]) => [key, value.body]));
      if (rollback.outcome.result === 'deployed') expect(bucketState(store)).toEqual(afterA);
      else expect(state).toEqual(filesOf(c));
      rmSync(c, { recursive: true, force: true });
    }
  });
});
