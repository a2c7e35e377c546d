// Redirects in the deploy (issue #17): `_redirects` and the `redirects` input become the entries of the
// CloudFront KeyValueStore (synced after the pages, before the deletes), or S3 website redirect objects
// without a distribution; bad rules are refused before any write.
import { describe, expect, it } from '@jest/globals';
import { outputsOf } from '../../src/report/outputs.js';
import { publishOutcome } from '../../src/report/publish.js';
import { summaryMarkdown } from '../../src/report/summary.js';
import { MemoryCdn, MemoryRedirectStore, MemoryStore } from '../support/memory-store.js';
import { deploySite } from '../support/scenario.js';
import { writeSite } from '../support/sites.js';

const RULES = '/old.html /new.html\n/docs/v1/* /docs/v2/:splat 302\n';

function site(extra: Record<string, string> = {}): string {
  return writeSite({ 'index.html': '<a href="/old.html">old</a>', 'new.html': 'new', _redirects: RULES, ...extra });
}

const writes = (store: MemoryStore) => store.requests.filter((r) => !/^(ListObjectsV2|GetObject|HeadObject)/.test(r));

describe('redirects at the edge (redirect-store-arn)', () => {
  it('syncs the entries after the pages and before the deletes; _redirects is not uploaded', async () => {
    const store = new MemoryStore();
    store.seed('gone.html', 'gone', { contentType: 'text/html', cacheControl: 'no-cache' });
    const redirects = new MemoryRedirectStore(new Map([['/pr-3/x', '301 /pr-3/y']]));
    redirects.events = store.requests;
    const { outcome } = await deploySite(site(), { store, cdn: new MemoryCdn(), redirects });
    expect(outcome.result).toBe('deployed');
    expect([...redirects.entries]).toEqual([
      ['/pr-3/x', '301 /pr-3/y'],
      ['/docs/v1/*', '302 /docs/v2/:splat'],
      ['/old.html', '301 /new.html'],
    ]);
    expect(store.current('_redirects')).toBeUndefined();
    const order = store.requests.map((r) => r.split(' ')[0]);
    const update = order.indexOf('UpdateKeys');
    expect(update).toBeGreaterThan(order.lastIndexOf('PutObject'));
    expect(update).toBeLessThan(order.indexOf('DeleteObjects'));
    // The site check counts a redirected path as existing.
    expect(outcome.siteCheck!.broken).toEqual([]);
    expect(outcome.redirects).toMatchObject({ mode: 'edge', rules: 2, entries: 2, put: 2, deleted: 0, synced: true });
    expect(outputsOf(outcome)['redirects-updated']).toBe('2');
    expect(summaryMarkdown(outcome)).toContain('### Redirects');

    // Again: nothing to change, nothing written.
    const again = await deploySite(site(), { store, cdn: new MemoryCdn(), redirects });
    expect(again.outcome.result).toBe('unchanged');
    expect(redirects.updates).toHaveLength(1);

    // A rule removed is a key removed, and that alone is a deploy.
    const fewer = await deploySite(site({ _redirects: '/old.html /new.html\n' }), { store, redirects });
    expect(fewer.outcome.result).toBe('deployed');
    expect(redirects.updates.at(-1)).toMatchObject({ put: [], del: ['/docs/v1/*'] });
  });

  it('a preview owns only its prefixed keys, and closing it removes them', async () => {
    const redirects = new MemoryRedirectStore(new Map([['/old.html', '301 /new.html']]));
    const store = new MemoryStore();
    const event = {
      eventName: 'pull_request',
      payload: { action: 'opened', number: 7, pull_request: { number: 7, head: { sha: 'a'.repeat(40) } } },
    };
    const opened = await deploySite(site(), { store, redirects, event: event as never, inputs: { preview: 'true' } });
    expect(opened.outcome.result).toBe('deployed');
    expect([...redirects.entries.keys()].sort()).toEqual(['/old.html', '/pr-7/docs/v1/*', '/pr-7/old.html']);
    const closed = { ...event, payload: { ...event.payload, action: 'closed' } };
    const removed = await deploySite(site(), { store, redirects, event: closed as never, inputs: { preview: 'true' } });
    expect(removed.outcome.action).toBe('remove');
    expect([...redirects.entries.keys()]).toEqual(['/old.html']);
  });

  it('a rule to a page that is not in the build is a broken target of the site check (link-check: error refuses)', async () => {
    const store = new MemoryStore();
    const redirects = new MemoryRedirectStore();
    const broken = site({ _redirects: `${RULES}/team /people/\n` });
    const { outcome } = await deploySite(broken, { store, redirects, inputs: { 'link-check': 'error' } });
    expect(outcome.result).toBe('refused');
    expect(outcome.siteCheck!.broken).toEqual([
      {
        target: 'people/index.html',
        kind: 'missing',
        referrers: [{ file: '_redirects', line: 3, reference: '/people/', redirect: { input: false } }],
      },
    ]);
    expect(writes(store)).toEqual([]);
    expect(redirects.updates).toEqual([]);
    expect(summaryMarkdown(outcome)).toContain('`_redirects` line 3: `/people/`');
  });

  it("annotations: a _redirects rule's on its file and line, an input rule's on no file", async () => {
    const broken = site({ _redirects: `${RULES}/team /people/\n` });
    const { outcome } = await deploySite(broken, {
      store: new MemoryStore(),
      redirects: new MemoryRedirectStore(),
      inputs: { 'link-check': 'error', redirects: '/crew /staff/' },
    });
    const annotations: unknown[] = [];
    const quiet = () => undefined;
    await publishOutcome(outcome, {
      info: quiet,
      warning: quiet,
      notice: quiet,
      error: quiet,
      group: quiet,
      mask: quiet,
      setOutputs: quiet,
      writeSummary: async () => undefined,
      fail: quiet,
      annotate: (severity, message, where) => annotations.push({ severity, message, where }),
    });
    expect(annotations).toEqual([
      {
        severity: 'error',
        message: expect.stringMatching(
          /^Redirect to '\/people\/' \(_redirects line 3\): 'people\/index\.html' is not in the build/,
        ),
        where: { file: `${outcome.sourceDir}/_redirects`, line: 3 },
      },
      {
        severity: 'error',
        message: expect.stringMatching(/^Redirect to '\/staff\/' \(input 'redirects' line 1\): 'staff\/index\.html'/),
        where: undefined,
      },
    ]);
  });

  it('a dry run reads the store and changes nothing', async () => {
    const redirects = new MemoryRedirectStore();
    const { outcome } = await deploySite(site(), {
      store: new MemoryStore(),
      redirects,
      inputs: { 'dry-run': 'true' },
    });
    expect(redirects.updates).toEqual([]);
    expect(outcome.redirects).toMatchObject({ put: 2, synced: false });
    expect(outputsOf(outcome)['redirects-updated']).toBe('2');
  });

  it('a failed sync keeps the stale objects and fails the run', async () => {
    const store = new MemoryStore();
    store.seed('gone.html', 'gone', { contentType: 'text/html', cacheControl: 'no-cache' });
    const redirects = new MemoryRedirectStore();
    redirects.failures.push(new Error('AccessDeniedException'));
    const { outcome } = await deploySite(site(), { store, redirects });
    expect(outcome.result).toBe('failed');
    expect(outcome.reason).toMatch(/redirects were not updated.*Stale objects were kept/);
    expect(store.current('gone.html')).toBeDefined();
  });
});

describe('refusals before any write', () => {
  it('a rule the edge cannot serve, with its line number', async () => {
    const store = new MemoryStore();
    const redirects = new MemoryRedirectStore();
    const { outcome } = await deploySite(site({ _redirects: '/a /b\n/c /d 200\n' }), { store, redirects });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toContain('_redirects line 2');
    expect(writes(store)).toEqual([]);
    expect(redirects.updates).toEqual([]);
  });

  it('the same path in _redirects and the redirects input', async () => {
    const { outcome } = await deploySite(site(), {
      store: new MemoryStore(),
      redirects: new MemoryRedirectStore(),
      inputs: { redirects: '/old.html /elsewhere.html' },
    });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(/a second rule for the same path/);
  });

  it('an input rule that cannot be served is refused up front, naming the input', async () => {
    await expect(deploySite(site(), { store: new MemoryStore(), inputs: { redirects: '/a /b 404' } })).rejects.toThrow(
      /input 'redirects' line 1/,
    );
  });

  it('more than the store holds', async () => {
    const long = Array.from({ length: 7000 }, (_, i) => `/page-${i}-${'x'.repeat(400)}.html /${'y'.repeat(400)}.html`);
    const store = new MemoryStore();
    const { outcome } = await deploySite(site({ _redirects: long.join('\n') }), {
      store,
      redirects: new MemoryRedirectStore(),
    });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(/more than 5000000 bytes/);
    expect(writes(store)).toEqual([]);
  });

  it('a distribution without a redirect store', async () => {
    const store = new MemoryStore();
    const { outcome } = await deploySite(site(), { store, cdn: new MemoryCdn() });
    expect(outcome).toMatchObject({ result: 'refused', input: 'redirect-store-arn' });
    expect(writes(store)).toEqual([]);
  });
});

describe('redirects without a distribution: S3 website redirect objects', () => {
  it('writes an empty object per exact rule, once, and deletes it when the rule goes', async () => {
    const store = new MemoryStore();
    const rules = { _redirects: '/old.html /new.html\n' };
    const first = await deploySite(site(rules), { store });
    expect(first.outcome.redirects).toMatchObject({ mode: 'website', entries: 1, put: 1, synced: true });
    expect(store.current('old.html')).toMatchObject({ redirectLocation: '/new.html' });
    const again = await deploySite(site(rules), { store });
    expect(again.outcome.result).toBe('unchanged');
    expect(store.count('PutObject(redirect)')).toBe(1);
    await deploySite(site({ _redirects: '' }), { store });
    expect(store.current('old.html')).toBeUndefined();
  });

  it('refuses splat rules, which one object per path cannot serve', async () => {
    const { outcome } = await deploySite(site(), { store: new MemoryStore() });
    expect(outcome.result).toBe('refused');
    expect(outcome.reason).toMatch(/_redirects line 2.*splat rules cannot be served by an S3 website endpoint/s);
  });
});
