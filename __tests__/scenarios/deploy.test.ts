// What a deploy does, scenario by scenario: the whole pipeline in-process against the in-memory bucket.
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MANIFEST_NAME, decodeManifest } from '../../src/pipeline/manifest.js';
import { MemoryCdn, MemoryStore } from '../support/memory-store.js';
import { deploySite } from '../support/scenario.js';
import { writeSite } from '../support/sites.js';

const HTML = 'text/html; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

function smallSite(): string {
  return writeSite({
    'index.html': '<link href="/assets/app.3f2a9c1b7d.css"><a href="/docs/">docs</a>',
    'docs/index.html': '<h1>Docs</h1>',
    'assets/app.3f2a9c1b7d.css': 'body{}',
    'robots.txt': 'User-agent: *',
  });
}

function manifestIn(store: MemoryStore, prefix = '') {
  return decodeManifest(store.current(`${prefix}${MANIFEST_NAME}`)!.body!);
}

describe('a first deploy', () => {
  it('uploads every file with its Content-Type and Cache-Control, assets before pages, then the manifest', async () => {
    const store = new MemoryStore();
    const { outcome } = await deploySite(smallSite(), { store });
    expect(outcome).toMatchObject({ result: 'deployed', counts: { new: 4, unchanged: 0 } });
    expect(store.current('index.html')!.headers).toEqual({
      contentType: HTML,
      cacheControl: 'public, max-age=0, must-revalidate',
    });
    expect(store.current('assets/app.3f2a9c1b7d.css')!.headers).toEqual({
      contentType: CSS,
      cacheControl: 'public, max-age=31536000, immutable',
    });
    const puts = store.requests.filter((request) => request.startsWith('PutObject '));
    expect(puts.indexOf('PutObject assets/app.3f2a9c1b7d.css')).toBeLessThan(puts.indexOf('PutObject index.html'));
    expect([...manifestIn(store).entries.keys()].sort()).toEqual([
      'assets/app.3f2a9c1b7d.css',
      'docs/index.html',
      'index.html',
      'robots.txt',
    ]);
  });
});

describe('the build size', () => {
  it('is told once, before any write: the files the walk found, without the excluded ones', async () => {
    const store = new MemoryStore();
    const told: Array<{ files: number; requests: string[] }> = [];
    const buildSize = (files: number): void => void told.push({ files, requests: [...store.requests] });
    await deploySite(smallSite(), { store, buildSize, inputs: { exclude: 'robots.txt' } });
    expect(told).toEqual([{ files: 3, requests: expect.any(Array) }]);
    expect(told[0]!.requests.filter((request) => request.startsWith('PutObject'))).toEqual([]);
  });
});

describe('a redeploy', () => {
  it('with no change writes nothing: one listing and one manifest read', async () => {
    const store = new MemoryStore();
    const site = smallSite();
    await deploySite(site, { store });
    store.requests.length = 0;
    const { outcome } = await deploySite(site, { store, cdn: new MemoryCdn() });
    expect(outcome).toMatchObject({ result: 'unchanged', counts: { unchanged: 4 } });
    expect(store.requests).toEqual(['ListObjectsV2 ', `GetObject ${MANIFEST_NAME}`]);
  });

  it('after one page was edited uploads that page alone and invalidates its URLs', async () => {
    const store = new MemoryStore();
    const cdn = new MemoryCdn();
    const site = smallSite();
    await deploySite(site, { store, cdn });
    appendFileSync(path.join(site, 'docs/index.html'), '<p>more</p>');
    const { outcome } = await deploySite(site, { store, cdn });
    expect(outcome.changes.map((change) => [change.key, change.kind])).toEqual([['docs/index.html', 'changed']]);
    // Everything under docs/ changed (it holds one page): one wildcard for the directory.
    expect(cdn.invalidations.at(-1)).toEqual(['/docs/*']);
    expect(outcome.invalidation.id).toBe('IMEM1');
  });

  it('after a header rule changed copies the objects onto themselves, sending no bytes', async () => {
    const store = new MemoryStore();
    const site = smallSite();
    await deploySite(site, { store });
    const { outcome } = await deploySite(site, { store, inputs: { 'cache-control': '*.txt: public, max-age=60' } });
    expect(outcome.changes).toEqual([
      expect.objectContaining({
        key: 'robots.txt',
        kind: 'headers',
        bytes: 0,
        previous: { contentType: 'text/plain; charset=utf-8', cacheControl: 'public, max-age=3600' },
      }),
    ]);
    expect(store.count('CopyObject')).toBe(1);
    expect(store.current('robots.txt')!.headers.cacheControl).toBe('public, max-age=60');
  });

  it('deletes what left the build only after the new manifest is published', async () => {
    const store = new MemoryStore();
    const site = smallSite();
    await deploySite(site, { store });
    rmSync(path.join(site, 'robots.txt'));
    store.requests.length = 0;
    const { outcome } = await deploySite(site, { store });
    expect(outcome.counts.deleted).toBe(1);
    const publish = store.requests.lastIndexOf(`PutObject(conditional) ${MANIFEST_NAME}`);
    expect(publish).toBeGreaterThan(-1);
    expect(store.requests.indexOf('DeleteObjects robots.txt')).toBeGreaterThan(publish);
  });
});

describe('a dry run', () => {
  it('reports what the deploy would do and writes nothing', async () => {
    const store = new MemoryStore();
    const site = smallSite();
    await deploySite(site, { store });
    appendFileSync(path.join(site, 'index.html'), '<!-- edit -->');
    rmSync(path.join(site, 'robots.txt'));
    const before = JSON.stringify([...store.versions]);
    const { outcome } = await deploySite(site, { store, cdn: new MemoryCdn(), inputs: { 'dry-run': 'true' } });
    expect(outcome).toMatchObject({ result: 'deployed', dryRun: true, counts: { changed: 1, deleted: 1 } });
    expect(outcome.invalidation.paths).toEqual(['/', '/index.html', '/robots.txt']);
    expect(outcome.invalidation.id).toBeUndefined();
    expect(JSON.stringify([...store.versions])).toBe(before);
  });
});

describe('refusals: nothing is written, and the outcome says why and which input fixes it', () => {
  it.each<[string, () => { site: string; inputs?: Record<string, string>; buildExitCode?: number }, string, RegExp]>([
    ['an empty build', () => ({ site: writeSite({}) }), 'source-dir', /is empty/],
    [
      'more deletions than max-deletes',
      () => ({ site: writeSite({ 'index.html': 'only' }), inputs: { 'max-deletes': '1' } }),
      'max-deletes',
      /deletes 2 objects, more than 'max-deletes' \(1\)/,
    ],
    ['a missing source-dir', () => ({ site: '/nonexistent/build' }), '', /does not exist/],
  ])('%s', async (_title, given, input, reason) => {
    const store = new MemoryStore();
    await deploySite(smallSite(), { store });
    const before = JSON.stringify([...store.versions]);
    const { site, inputs } = given();
    const { outcome } = await deploySite(site, { store, inputs });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(reason);
    if (input) expect(outcome.input).toBe(input);
    expect(JSON.stringify([...store.versions])).toBe(before);
  });

  it('the plan is still shown when the refusal came after planning', async () => {
    const store = new MemoryStore();
    await deploySite(smallSite(), { store });
    const { outcome } = await deploySite(writeSite({ 'index.html': 'x' }), { store, inputs: { 'max-deletes': '1' } });
    expect(outcome.planned).toBe(true);
    // The fingerprinted CSS is kept for its grace period; the page and robots.txt would go.
    expect(outcome.changes.filter((change) => change.kind === 'deleted').map((change) => change.key)).toEqual([
      'docs/index.html',
      'robots.txt',
    ]);
    expect(outcome.kept.retained).toBe(1);
  });

  it('a failing build fails the run before anything is read or written', async () => {
    const store = new MemoryStore();
    const { outcome } = await deploySite(smallSite(), { store, inputs: { 'build-command': 'make' }, buildExitCode: 2 });
    expect(outcome).toMatchObject({ result: 'failed', planned: false });
    expect(outcome.reason).toMatch(/'build-command' exited with code 2/);
    expect(store.requests).toEqual([]);
  });

  it('no credentials: refused, saying how to configure them', async () => {
    const { outcome } = await deploySite(smallSite(), { store: new MemoryStore(), credentials: false });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(/No AWS credentials found.*configure-aws-credentials/);
  });

  it('no credentials on a fork pull request: built and scanned, then skipped', async () => {
    const store = new MemoryStore();
    const { outcome } = await deploySite(smallSite(), {
      store,
      credentials: false,
      event: {
        eventName: 'pull_request',
        payload: { pull_request: { number: 5, head: { repo: { fork: true } } } },
      },
    });
    expect(outcome.result).toBe('skipped');
    expect(outcome.reason).toMatch(/fork/);
    expect(store.requests).toEqual([]);
  });
});

describe('previews', () => {
  const pullRequest = (action: string) => ({
    eventName: 'pull_request',
    sha: 'merge',
    payload: { action, pull_request: { number: 42, head: { sha: 'head', repo: { fork: false } } } },
  });

  it('deploy under pr-<number>/ and, when the pull request is closed, are removed — nothing else is', async () => {
    const store = new MemoryStore();
    await deploySite(smallSite(), { store });
    const preview = await deploySite(smallSite(), {
      store,
      inputs: { preview: 'true' },
      event: pullRequest('opened'),
    });
    expect(preview.outcome.prefix).toBe('pr-42/');
    expect(Object.keys(store.contents('pr-42/'))).toHaveLength(5); // four files and the manifest
    const closed = await deploySite(smallSite(), { store, inputs: { preview: 'true' }, event: pullRequest('closed') });
    expect(closed.outcome).toMatchObject({ action: 'remove', result: 'deployed', counts: { deleted: 5 } });
    expect(store.contents('pr-42/')).toEqual({});
    expect(Object.keys(store.contents())).toHaveLength(5); // production untouched
  });
});

describe('a manifest forged by someone who can write the bucket', () => {
  it('cannot make a defaced object look unchanged: a plain MD5 ETag is compared with the file', async () => {
    const store = new MemoryStore();
    const site = smallSite();
    await deploySite(site, { store });
    // The attacker replaces the page and rewrites the manifest entry to pair the new ETag with the old MD5.
    const defaced = store.seed('index.html', 'DEFACED', { contentType: HTML, cacheControl: 'x' });
    const manifest = manifestIn(store);
    manifest.entries.set('index.html', { ...manifest.entries.get('index.html')!, etag: defaced.etag, size: 7 });
    const { encodeManifest } = await import('../../src/pipeline/manifest.js');
    store.seed(MANIFEST_NAME, encodeManifest(manifest, new Date()), {
      contentType: 'application/gzip',
      cacheControl: '',
    });
    const { outcome } = await deploySite(site, { store });
    expect(outcome.changes.map((change) => change.key)).toEqual(['index.html']);
    expect(store.current('index.html')!.body!.toString()).toContain('docs');
  });

  it('cannot keep a removed asset for ever with a retained date in the future', async () => {
    const store = new MemoryStore();
    const site = smallSite();
    await deploySite(site, { store });
    rmSync(path.join(site, 'assets/app.3f2a9c1b7d.css'));
    writeFileSync(path.join(site, 'index.html'), 'no css');
    const manifest = manifestIn(store);
    manifest.retained.set('assets/app.3f2a9c1b7d.css', new Date('2999-01-01T00:00:00Z'));
    const { encodeManifest } = await import('../../src/pipeline/manifest.js');
    store.seed(MANIFEST_NAME, encodeManifest(manifest, new Date()), {
      contentType: 'application/gzip',
      cacheControl: '',
    });
    const { outcome } = await deploySite(site, { store, inputs: { 'asset-grace-period': '1h' } });
    const kept = manifestIn(store).retained.get('assets/app.3f2a9c1b7d.css')!;
    expect(outcome.kept.retained).toBe(1);
    expect(kept.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
