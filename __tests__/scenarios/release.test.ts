// The release protocol (src/pipeline/release.ts), scenario by scenario, against the in-memory bucket: racing
// runs, dead runs, stores that refuse or ignore conditional writes, drift, invalidations that failed, and a
// manifest from the future.
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MANIFEST_NAME, PROBE_NAME, decodeManifest, encodeManifest } from '../../src/pipeline/manifest.js';
import { type ObjectStore, probeConditionalWrites } from '../../src/pipeline/ports.js';
import { type ConditionalMode, MemoryCdn, MemoryStore } from '../support/memory-store.js';
import { deploySite } from '../support/scenario.js';
import { listFiles, writeSite } from '../support/sites.js';
import { seeded } from '../support/random.js';

const HTML = 'text/html; charset=utf-8';

function siteOf(label: string, extra: Record<string, string> = {}): string {
  return writeSite({
    'index.html': `<h1>${label}</h1>`,
    [`only-${label}.html`]: label,
    'shared.css': `/* ${label} */`,
    ...extra,
  });
}

/** What a build should leave in the bucket: every file, byte for byte. */
function filesOf(site: string): Record<string, string> {
  return Object.fromEntries(listFiles(site).map((file) => [file, readFileSync(path.join(site, file), 'utf8')]));
}

function siteContents(store: MemoryStore): Record<string, string> {
  const contents = store.contents();
  delete contents[MANIFEST_NAME];
  delete contents[PROBE_NAME];
  return contents;
}

/** One run's view of the shared bucket, recording which requests it made. */
function viewOf(store: MemoryStore, requests: string[]): ObjectStore {
  const record =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const key = args[0] as { key?: string } | string;
      requests.push(`${name} ${typeof key === 'string' ? key : (key.key ?? '')}`);
      return call.apply(store, args);
    };
  const view = {
    listPages: (prefix: string, startAfter?: string) => {
      requests.push(`list ${prefix}`);
      return store.listPages(prefix, startAfter);
    },
    head: record('head', store.head),
    get: record('get', store.get),
    putFile: record('putFile', store.putFile),
    copyWithHeaders: record('copy', store.copyWithHeaders),
    putObject: record('putObject', store.putObject),
    deleteKeys: record('delete', store.deleteKeys),
    throttled: () => store.throttled(),
  } as ObjectStore;
  view.conditionalWrites = (probeKey) => probeConditionalWrites(view, probeKey);
  return view;
}

describe('racing runs on one prefix', () => {
  const SEEDS = Number(process.env.RACE_SEEDS ?? 60);

  it.each(Array.from({ length: SEEDS }, (_, index) => [index + 1, 3 + (index % 3)]))(
    'seed %i, %i runs started together: exactly one publishes, the others write no object and name it',
    async (seed, runs) => {
      const next = seeded(seed);
      let racing = false;
      let manifestReads = 0;
      let opened: () => void = () => undefined;
      const allRead = new Promise<void>((resolve) => (opened = resolve));
      const store = new MemoryStore({
        before: async (operation, key) => {
          // Every run reads the manifest before any claims the prefix: they all started together.
          if (!racing) return;
          if (operation === 'GetObject' && key === MANIFEST_NAME && ++manifestReads === runs) opened();
          if (operation === 'PutObject(conditional)' && key === MANIFEST_NAME) await allRead;
          for (let turns = Math.floor(next() * 4); turns > 0; turns -= 1) await new Promise(setImmediate);
        },
      });
      const first = siteOf('zero');
      await deploySite(first, { store });
      racing = true;

      const sites = Array.from({ length: runs }, (_, index) => siteOf(`run${index}`));
      const requests = sites.map(() => [] as string[]);
      const results = await Promise.all(
        sites.map((site, index) =>
          deploySite(site, {
            store: viewOf(store, requests[index]!) as MemoryStore,
            env: {
              GITHUB_RUN_ID: `${seed}0${index}`,
              GITHUB_SERVER_URL: 'https://github.com',
              GITHUB_REPOSITORY: 'o/r',
            },
          }),
        ),
      );
      const winners = results.flatMap((result, index) => (result.outcome.result === 'deployed' ? [index] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      results.forEach((result, index) => {
        if (index === winner) return;
        expect(result.outcome.result).toBe('refused');
        expect(result.outcome.reason).toContain(`https://github.com/o/r/actions/runs/${seed}0${winner}`);
        expect(requests[index]!.filter((request) => /^(putFile|copy|delete) /.test(request))).toEqual([]);
      });
      expect(siteContents(store)).toEqual(filesOf(sites[winner]!));
      expect(decodeManifest(store.current(MANIFEST_NAME)!.body!).claim).toBeUndefined();
    },
  );
});

describe('a claim left behind', () => {
  async function claimedBy(run: string, expires: Date): Promise<{ store: MemoryStore; site: string }> {
    const store = new MemoryStore();
    const site = siteOf('a');
    await deploySite(site, { store });
    const manifest = decodeManifest(store.current(MANIFEST_NAME)!.body!);
    manifest.claim = {
      run,
      attempt: '1',
      runUrl: `https://github.com/o/r/actions/runs/${run.replace('run-', '')}`,
      started: new Date(expires.getTime() - 600_000).toISOString(),
      expires: expires.toISOString(),
      planDigest: '0'.repeat(64),
    };
    store.seed(MANIFEST_NAME, encodeManifest(manifest, new Date()), {
      contentType: 'application/gzip',
      cacheControl: 'no-store',
    });
    appendFileSync(path.join(site, 'index.html'), 'edit');
    return { store, site };
  }

  const GITHUB = { GITHUB_RUN_ID: '5', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r' };

  it('by a live run: refused before any write, naming that run', async () => {
    const { store, site } = await claimedBy('run-77', new Date(Date.now() + 60_000));
    const writes = store.requests.length;
    const { outcome } = await deploySite(site, { store, env: GITHUB });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(
      /^Another deploy is publishing s3:\/\/site\/: https:\/\/github.com\/o\/r\/actions\/runs\/77 \(attempt 1, started /,
    );
    expect(store.requests.slice(writes).filter((request) => !/^(ListObjectsV2|GetObject) /.test(request))).toEqual([]);
  });

  it('by a dead run (expired): taken over with a warning', async () => {
    const { store, site } = await claimedBy('run-78', new Date(Date.now() - 1000));
    const { outcome, log } = await deploySite(site, { store });
    expect(outcome.result).toBe('deployed');
    expect(log.warnings.join('\n')).toMatch(/Taking over the claim .* left by .*run-78.*which expired/);
  });

  it('by an earlier attempt of the same workflow run: taken over', async () => {
    const { store, site } = await claimedBy('run-79', new Date(Date.now() + 60_000));
    const { outcome, log } = await deploySite(site, { store, env: { GITHUB_RUN_ID: '79', GITHUB_RUN_ATTEMPT: '2' } });
    expect(outcome.result).toBe('deployed');
    expect(log.text).toContain('Taking over the claim of an earlier attempt of this workflow run');
  });

  it('a claim taken over while this run uploaded: it does not publish, and deletes nothing', async () => {
    const store = new MemoryStore();
    const site = siteOf('a', { 'old.html': 'old' });
    await deploySite(site, { store });
    rmSync(path.join(site, 'old.html'));
    appendFileSync(path.join(site, 'index.html'), 'edit');
    const view = viewOf(store, []);
    const upload = view.putFile.bind(view);
    view.putFile = async (file) => {
      const etag = await upload(file);
      // Another writer replaces the manifest (this run's claim) while the upload runs.
      const current = store.current(MANIFEST_NAME)!;
      store.seed(MANIFEST_NAME, Buffer.concat([current.body!, Buffer.from(' ')]), current.headers);
      return etag;
    };
    const { outcome } = await deploySite(site, { store: view as MemoryStore });
    expect(outcome.result).toBe('failed');
    expect(outcome.reason).toMatch(/Another run wrote the deploy manifest .* after this deploy claimed it/);
    expect(store.current('old.html')).toBeDefined();
  });
});

describe('stores and conditional writes', () => {
  it.each<[ConditionalMode, string | undefined]>([
    ['honour', undefined],
    ['refuse', 'does not support conditional writes'],
    ['ignore', 'ignores conditional writes'],
    ['none-match-only', 'does not support conditional writes'],
  ])('%s: deploys, and warns once when it is unprotected', async (mode, warning) => {
    const store = new MemoryStore({ conditional: mode });
    const site = siteOf('a');
    const first = await deploySite(site, { store });
    appendFileSync(path.join(site, 'index.html'), 'edit');
    const second = await deploySite(site, { store });
    for (const run of [first, second]) {
      expect(run.outcome.result).toBe('deployed');
      const warnings = run.log.warnings.filter((line) => /conditional writes/.test(line));
      if (warning) {
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain(warning);
        expect(warnings[0]).toContain('`concurrency:`');
      } else expect(warnings).toEqual([]);
    }
    expect(second.outcome.conditionalWrites).toBe(
      mode === 'none-match-only'
        ? 'refused'
        : mode === 'honour'
          ? 'honoured'
          : mode === 'refuse'
            ? 'refused'
            : 'ignored',
    );
    expect(siteContents(store)).toEqual(filesOf(site));
    expect(store.current(PROBE_NAME)).toBeUndefined(); // the probe object never stays
  });

  it.each<ConditionalMode>(['refuse', 'ignore'])(
    "%s with 'require-conditional-writes': refused before any content is written",
    async (mode) => {
      const store = new MemoryStore({ conditional: mode });
      const { outcome } = await deploySite(siteOf('a'), { store, inputs: { 'require-conditional-writes': 'true' } });
      expect(outcome).toMatchObject({ result: 'refused', input: 'require-conditional-writes' });
      expect(siteContents(store)).toEqual({});
      expect(store.current(MANIFEST_NAME)).toBeUndefined();
    },
  );
});

describe('drift: an object changed out of band', () => {
  it('same bytes, other headers: found by its LastModified, HEADed alone, repaired with a copy', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => new Date(now);
    const store = new MemoryStore({ now: clock });
    const site = siteOf('a');
    await deploySite(site, { store, now: clock });
    now += 60_000;
    // `aws s3 cp --content-type text/plain` of the same file: same ETag, new LastModified.
    store.seed('index.html', readFileSync(path.join(site, 'index.html')), {
      contentType: 'text/plain',
      cacheControl: 'public, max-age=0, must-revalidate',
    });
    now += 60_000;
    store.requests.length = 0;
    const { outcome } = await deploySite(site, { store, now: clock });
    expect(store.requests.filter((request) => request.startsWith('HeadObject'))).toEqual(['HeadObject index.html']);
    expect(outcome.changes).toEqual([expect.objectContaining({ key: 'index.html', kind: 'headers', repair: true })]);
    expect(outcome.counts.repaired).toBe(1);
    expect(store.current('index.html')!.headers.contentType).toBe(HTML);
    now += 60_000;
    store.requests.length = 0;
    const again = await deploySite(site, { store, now: clock });
    expect(again.outcome.result).toBe('unchanged');
    expect(store.count('HeadObject')).toBe(0);
  });

  it('other bytes: uploaded again', async () => {
    const store = new MemoryStore();
    const site = siteOf('a');
    await deploySite(site, { store });
    store.seed('shared.css', 'tampered', { contentType: 'text/css; charset=utf-8', cacheControl: 'x' });
    const { outcome } = await deploySite(site, { store });
    expect(outcome.changes.map((change) => [change.key, change.kind])).toEqual([['shared.css', 'changed']]);
    expect(siteContents(store)).toEqual(filesOf(site));
  });
});

describe('an invalidation is never forgotten', () => {
  it('a failed one is recorded in the manifest and sent, merged, by the next run', async () => {
    const store = new MemoryStore();
    const cdn = new MemoryCdn();
    const site = siteOf('a');
    await deploySite(site, { store, cdn });
    appendFileSync(path.join(site, 'index.html'), 'edit');
    cdn.failures = ['AccessDenied'];
    const failed = await deploySite(site, { store, cdn });
    expect(failed.outcome).toMatchObject({ result: 'failed', pendingInvalidation: 2 });
    expect(decodeManifest(store.current(MANIFEST_NAME)!.body!).pendingInvalidation).toEqual(['/', '/index.html']);

    appendFileSync(path.join(site, 'shared.css'), 'edit');
    const next = await deploySite(site, { store, cdn });
    expect(next.outcome.result).toBe('deployed');
    expect(cdn.invalidations.at(-1)).toEqual(['/', '/index.html', '/shared.css']);
    expect(next.outcome.invalidation.note).toMatch(/2 path\(s\) left pending by an earlier deploy/);
    expect(decodeManifest(store.current(MANIFEST_NAME)!.body!).pendingInvalidation).toEqual([]);
  });

  it('TooManyInvalidationsInProgress is retried with backoff within the bound, then recorded as pending', async () => {
    const store = new MemoryStore();
    const cdn = new MemoryCdn();
    const site = siteOf('a');
    await deploySite(site, { store, cdn });
    appendFileSync(path.join(site, 'index.html'), 'edit');
    let clock = Date.now();
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      clock += ms;
    };
    cdn.failures = Array(3).fill('TooManyInvalidationsInProgress');
    const retried = await deploySite(site, { store, cdn, sleep, now: () => new Date(clock) });
    expect(retried.outcome.result).toBe('deployed');
    expect(waits).toEqual([5000, 10000, 20000]);

    appendFileSync(path.join(site, 'index.html'), 'again');
    waits.length = 0;
    cdn.failures = Array(20).fill('TooManyInvalidationsInProgress');
    const gaveUp = await deploySite(site, {
      store,
      cdn,
      sleep,
      now: () => new Date(clock),
      invalidationRetryMs: 30_000,
    });
    expect(gaveUp.outcome).toMatchObject({ result: 'failed', pendingInvalidation: 2 });
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
    expect(decodeManifest(store.current(MANIFEST_NAME)!.body!).pendingInvalidation).toEqual(['/', '/index.html']);
  });
});

describe('a manifest written by a newer version of the action', () => {
  it('is never overwritten: the deploy is refused before any write, saying to upgrade', async () => {
    const store = new MemoryStore();
    const { gzipSync } = await import('node:zlib');
    const future = gzipSync(
      JSON.stringify({ format: 'parlai-site-deploy/manifest', version: 4, entries: {}, somethingNew: [1] }),
    );
    store.seed(MANIFEST_NAME, future, { contentType: 'application/gzip', cacheControl: 'no-store' });
    const { outcome } = await deploySite(siteOf('a'), { store });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(/holds a deploy manifest of format 4; this version .* writes format 3/);
    // …and says how to get out when no newer version deploys here (a forged or stray manifest):
    expect(outcome.reason).toContain(
      'If none does (the manifest was written by someone else), delete it — aws s3 rm s3://site/.parlai-site-deploy.json.gz — and re-run',
    );
    expect(store.current(MANIFEST_NAME)!.body!.equals(future)).toBe(true);
    expect(siteContents(store)).toEqual({});
  });
});
