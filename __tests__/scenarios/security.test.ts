// What someone who can write the bucket (or a pull request's preview role) can and cannot do to a deploy:
// issue #19's rules, each scenario against the in-memory bucket. Each test fails when its rule is removed.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { MANIFEST_NAME, type Manifest, decodeManifest, encodeManifest } from '../../src/pipeline/manifest.js';
import { summaryMarkdown } from '../../src/report/summary.js';
import { MemoryCdn, MemoryStore } from '../support/memory-store.js';
import { deploySite } from '../support/scenario.js';
import { writeSite } from '../support/sites.js';

const HTML = 'text/html; charset=utf-8';
const PAGE_HEADERS = { contentType: HTML, cacheControl: 'public, max-age=0, must-revalidate' };
const MANIFEST_HEADERS = { contentType: 'application/gzip', cacheControl: 'no-store' };

function site(pages = 1): string {
  const files: Record<string, string> = { 'index.html': '<h1>The real home page</h1>' };
  for (let index = 1; index < pages; index += 1) files[`page-${index}.html`] = `<p>page ${index}</p>`;
  return writeSite(files);
}

function manifestIn(store: MemoryStore, prefix = ''): Manifest {
  return decodeManifest(store.current(`${prefix}${MANIFEST_NAME}`)!.body!);
}

function forge(store: MemoryStore, edit: (manifest: Manifest) => void, prefix = ''): void {
  const manifest = manifestIn(store, prefix);
  edit(manifest);
  store.seed(`${prefix}${MANIFEST_NAME}`, encodeManifest(manifest, new Date()), MANIFEST_HEADERS);
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a forged manifest entry cannot keep a defacement live', () => {
  it.each([
    ['at the listing time', 0],
    ['far in the future', 1000 * 86_400_000],
  ])(
    'a one-part multipart upload of the same size, its entry forged with the real MD5 and a LastModified %s',
    async (_when, ahead) => {
      const store = new MemoryStore();
      const build = site();
      await deploySite(build, { store });
      const real = '<h1>The real home page</h1>';
      const defacedBody = 'PWNED'.padEnd(real.length, ' ');
      // A multipart upload of one part: S3 gives it the ETag `<hex>-1`, which no MD5 of the file equals.
      const defaced = store.seed('index.html', defacedBody, PAGE_HEADERS, `${md5(md5(defacedBody))}-1`);
      forge(store, (manifest) => {
        const listed = defaced.lastModified.getTime();
        manifest.entries.set('index.html', {
          md5: md5(real),
          etag: defaced.etag,
          size: real.length,
          ...PAGE_HEADERS,
          lastModified: new Date(listed + 1000 + ahead).toISOString(),
        });
      });
      const { outcome } = await deploySite(build, { store });
      expect(outcome.changes.map((change) => [change.key, change.kind])).toEqual([['index.html', 'changed']]);
      expect(store.current('index.html')!.body!.toString()).toBe(real);
    },
  );

  it("on a bucket whose ETags prove nothing (SSE-KMS), the store's own SHA-256 decides: a defaced object is replaced", async () => {
    const store = new MemoryStore({ opaqueEtags: true });
    const build = site(3);
    await deploySite(build, { store });
    // A redeploy with no change checks the store's checksums (one HEAD each) and writes nothing.
    store.requests.length = 0;
    const again = await deploySite(build, { store });
    expect(again.outcome).toMatchObject({ result: 'unchanged', counts: { unchanged: 3 } });
    expect(store.count('HeadObject(checksums)')).toBe(3);
    // Defaced with the same size, the entry left as it was: the checksum no longer matches.
    const real = '<h1>The real home page</h1>';
    const defaced = store.seed('index.html', 'X'.repeat(real.length), PAGE_HEADERS);
    forge(store, (manifest) => {
      manifest.entries.set('index.html', { ...manifest.entries.get('index.html')!, etag: defaced.etag });
    });
    const { outcome } = await deploySite(build, { store });
    expect(outcome.changes.map((change) => [change.key, change.kind])).toEqual([['index.html', 'changed']]);
    expect(store.current('index.html')!.body!.toString()).toBe(real);
  });

  it("the manifest object's own headers switch nothing: the opaque-ETag mode is gone", async () => {
    const store = new MemoryStore();
    const build = site();
    await deploySite(build, { store });
    const defaced = store.seed('index.html', 'PWNED'.padEnd(27, ' '), PAGE_HEADERS, 'ab'.repeat(16));
    forge(store, (manifest) => {
      manifest.entries.set('index.html', { ...manifest.entries.get('index.html')!, etag: defaced.etag });
    });
    const { outcome } = await deploySite(build, { store });
    expect(outcome.counts.changed).toBe(1);
  });
});

describe('a forged manifest can neither block a prefix nor crash the action', () => {
  it.each([
    ['expires far past any lock-timeout', (now: number) => new Date(now + 30 * 86_400_000).toISOString()],
    ['claims to have started in the future', (now: number) => new Date(now + 2 * 86_400_000).toISOString()],
  ])('a claim that %s is not honoured', async (_what, date) => {
    const store = new MemoryStore();
    const build = site();
    await deploySite(build, { store });
    const now = Date.now();
    forge(store, (manifest) => {
      manifest.claim = {
        run: 'run-999',
        attempt: '1',
        started: _what.startsWith('claims') ? date(now) : new Date(now).toISOString(),
        expires: date(now + 60_000),
        planDigest: '0'.repeat(64),
      };
    });
    writeFileSync(path.join(build, 'index.html'), 'edited');
    const { outcome, log } = await deploySite(build, { store });
    expect(outcome.result).toBe('deployed');
    expect(log.warnings.join('\n')).toMatch(/longer than any run can claim \(24 h\): it is not honoured/);
  });

  it('a manifest that would parse into millions of objects is ignored with a warning, and the deploy goes on', async () => {
    const store = new MemoryStore();
    const build = site();
    await deploySite(build, { store });
    const bomb = `{"format":"parlai-site-deploy/manifest","version":3,"history":[${'{},'.repeat(5_000_000)}{}]}`;
    store.seed(MANIFEST_NAME, gzipSync(bomb), MANIFEST_HEADERS);
    const { outcome, log } = await deploySite(build, { store });
    expect(outcome.result).toBe('unchanged'); // the site is as built; only the manifest is written again
    expect(log.warnings.join('\n')).toMatch(/deploy manifest .* is unreadable \(unzips to more than/);
    expect(manifestIn(store).entries.size).toBe(1);
  });
});

describe('the preview space (pr-*/) never counts against the production deploy', () => {
  it('1,001 objects a pull request put under pr-x/ without a manifest are neither deleted nor counted', async () => {
    const store = new MemoryStore();
    const build = site();
    await deploySite(build, { store });
    for (let index = 0; index < 1001; index += 1) store.seed(`pr-x/junk-${index}.html`, 'junk', PAGE_HEADERS);
    writeFileSync(path.join(build, 'index.html'), 'edited');
    const { outcome } = await deploySite(build, { store });
    expect(outcome.result).toBe('deployed');
    expect(outcome.counts.deleted).toBe(0);
    expect(outcome.kept.otherDeployments).toEqual(['pr-x/']);
    expect(Object.keys(store.contents('pr-x/'))).toHaveLength(1001);
  });

  it('a build with files in the preview space is warned about', async () => {
    const store = new MemoryStore();
    const { log } = await deploySite(writeSite({ 'index.html': 'x', 'pr-guide/index.html': 'y' }), { store });
    expect(log.warnings.join('\n')).toMatch(/1 file\(s\) of the build are under 'pr-guide\/'.*preview space/);
  });
});

describe('a run whose claim lapsed, or whose job was cancelled, stops writing', () => {
  it("stops once its claim expires without a confirmed refresh, and neither publishes nor releases what may be another run's", async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const store = new MemoryStore({
      now,
      // Each upload takes 5 s of the run's clock; no refresh confirms the claim meanwhile.
      before: (operation) => {
        if (operation === 'PutObject') clock += 5_000;
      },
    });
    const build = site(20);
    const { outcome } = await deploySite(build, { store, now, inputs: { 'lock-timeout': '30s' } });
    expect(outcome.result).toBe('failed');
    expect(outcome.reason).toMatch(
      /^Stopped: the claim on the prefix lapsed \(it expires at .*\) without a confirmed refresh/,
    );
    // 30 s less a 7.5 s margin: at most 5 uploads of 5 s started, none after.
    expect(store.count('PutObject')).toBeLessThanOrEqual(5);
    expect(manifestIn(store).claim).toBeDefined(); // left to expire: the prefix may be another run's by now
  });

  it('cancelled (SIGINT): no write starts after, the claim is let go recording what was written, and the next run deploys at once', async () => {
    const cancel = new AbortController();
    const store = new MemoryStore({
      before: (operation) => {
        if (operation === 'PutObject' && store.count('PutObject') === 3) cancel.abort();
      },
    });
    const build = site(10);
    const { outcome } = await deploySite(build, { store, signal: cancel.signal, inputs: { concurrency: '1' } });
    expect(outcome.result).toBe('failed');
    expect(outcome.reason).toMatch(/^Stopped: the job was cancelled\./);
    expect(store.count('PutObject')).toBe(3);
    const manifest = manifestIn(store);
    expect(manifest.claim).toBeUndefined();
    expect(manifest.entries.size).toBe(3);
    const next = await deploySite(build, { store });
    expect(next.outcome).toMatchObject({ result: 'deployed', counts: { new: 7, unchanged: 3 } });
  });
});

describe('pending invalidation paths from the manifest', () => {
  it("only those the deploy would have written itself are sent: inside its prefix, well-formed, not another deployment's", async () => {
    const store = new MemoryStore();
    const cdn = new MemoryCdn();
    const build = site();
    await deploySite(build, { store, cdn, inputs: { prefix: 'docs' } });
    forge(
      store,
      (manifest) => {
        manifest.pendingInvalidation = [
          '/*',
          '/other/page.html',
          '/docs/bad path.html',
          '/docs/a/../x',
          '/docs/pr-1/x.html',
          '/docs/ok.html',
          '/docs/%E2%9C%93.html',
        ];
      },
      'docs/',
    );
    store.seed('docs/pr-1/x.html', 'preview', PAGE_HEADERS);
    await deploySite(build, { store, cdn, inputs: { prefix: 'docs' } });
    expect(cdn.invalidations.at(-1)).toEqual(['/docs/%E2%9C%93.html', '/docs/ok.html']);
  });
});

describe('what the manifest says of other runs reaches the summary only as inert text', () => {
  it("a forged claim's run URL and name: no link, no @mention outside code", async () => {
    const store = new MemoryStore();
    const build = site();
    await deploySite(build, { store });
    forge(store, (manifest) => {
      manifest.claim = {
        run: '@admin see https://evil.example/x',
        attempt: '1 @octocat',
        runUrl: 'https://evil.example/@someone',
        started: new Date().toISOString(),
        expires: new Date(Date.now() + 60_000).toISOString(),
        planDigest: '0'.repeat(64),
      };
    });
    writeFileSync(path.join(build, 'index.html'), 'edited');
    const env = { GITHUB_RUN_ID: '1', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r' };
    const { outcome } = await deploySite(build, { store, env });
    expect(outcome.result).toBe('refused');
    const markdown = summaryMarkdown(outcome);
    const outsideCode = markdown.replace(/`[^`]*`/g, '');
    expect(markdown).toContain('`@admin see https://evil.example/x`');
    expect(outsideCode).not.toMatch(/@\w|https?:\/\/evil/);
  });
});

describe('a dry run does not pretend to know whether the store honours conditional writes', () => {
  it('says the check is skipped, and that the deploy refuses where require-conditional-writes says so', async () => {
    const store = new MemoryStore({ conditional: 'ignore' });
    const { outcome, log } = await deploySite(site(), {
      store,
      inputs: { 'dry-run': 'true', 'require-conditional-writes': 'true' },
    });
    expect(outcome.conditionalWrites).toBe('unchecked');
    expect(log.text).toMatch(
      /Conditional writes: not checked, since checking writes a probe object.*refuses if it does not/,
    );
    expect(summaryMarkdown(outcome)).toContain('Conditional writes: not checked in a dry run');
    const real = await deploySite(site(), { store, inputs: { 'require-conditional-writes': 'true' } });
    expect(real.outcome.result).toBe('refused');
  });
});
