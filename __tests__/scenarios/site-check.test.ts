// The site check in the deploy (issue #17): a build with a missing asset and a misspelt link is deployed with
// warnings (link-check: warn, the default), refused before any write (error), or not checked (off).
import { describe, expect, it } from '@jest/globals';
import { summaryMarkdown } from '../../src/report/summary.js';
import { MemoryStore } from '../support/memory-store.js';
import { PROBE_NAME } from '../../src/pipeline/manifest.js';
import { RecordingLog, deploySite } from '../support/scenario.js';
import { writeSite } from '../support/sites.js';

function brokenSite(): string {
  return writeSite({
    'index.html':
      '<link rel="stylesheet" href="/static/site.css">\n<a href="docs/guide.html">guide</a>\n<a href="docs/gide.html">typo</a>',
    'docs/guide.html': '<h1 id="top">Guide</h1><a href="../index.html#nowhere">home</a>',
    'data.inv': 'binary-ish',
  });
}

describe('link-check', () => {
  it('warn (the default): deploys, and names each broken target with the page and line that reference it', async () => {
    const store = new MemoryStore();
    const { outcome, log } = await deploySite(brokenSite(), { store });
    expect(outcome.result).toBe('deployed');
    const broken = outcome.siteCheck!.broken.map((entry) => [
      entry.kind,
      entry.target,
      entry.referrers.map((r) => `${r.file}:${r.line}`),
    ]);
    expect(broken).toEqual([
      ['missing', 'docs/gide.html', ['index.html:3']],
      ['fragment', 'index.html#nowhere', ['docs/guide.html:1']],
      ['missing', 'static/site.css', ['index.html:1']],
    ]);
    expect(log.warnings.join('\n')).toMatch(/The site check found 3 broken target\(s\).*set 'link-check: error'/);
    // A file whose type is unknown is served as application/octet-stream: the warning names the fix.
    expect(log.warnings.join('\n')).toMatch(/data\.inv.*'content-type' input, e\.g\. '\*\.inv: /);
    const summary = summaryMarkdown(outcome);
    expect(summary).toContain('### Site check');
    expect(summary).toContain('`static/site.css`');
    expect(summary).toContain('`index.html` line 1');
  });

  it('error: refused before any write, naming the broken targets', async () => {
    const store = new MemoryStore();
    const { outcome } = await deploySite(brokenSite(), { store, inputs: { 'link-check': 'error' } });
    expect(outcome).toMatchObject({ result: 'refused', input: 'link-check' });
    expect(outcome.reason).toContain('docs/gide.html (from index.html)');
    expect(store.requests.filter((request) => !/^(ListObjectsV2|GetObject) /.test(request))).toEqual([]);
    expect(summaryMarkdown(outcome)).toContain('Nothing was written to the bucket.');
  });

  it('error with a clean build deploys; objects kept by exclude count as existing', async () => {
    const store = new MemoryStore();
    store.seed('downloads/big.tar.gz', 'archive', {
      contentType: 'application/gzip',
      cacheControl: 'public, max-age=3600',
    });
    const site = writeSite({ 'index.html': '<a href="/downloads/big.tar.gz">get</a><a href="#top">top</a>' });
    const { outcome } = await deploySite(site, { store, inputs: { 'link-check': 'error', exclude: 'downloads' } });
    expect(outcome.result).toBe('deployed');
    expect(outcome.siteCheck!.broken).toEqual([]);
  });

  // The claim needs the store's answer to the probe of conditional writes; where the check cannot refuse, the
  // probe goes out before it, so its round trip passes while the pages are read.
  describe('the probe of conditional writes', () => {
    /** Per probe request: whether the site check had logged its result when it was sent. */
    function watchProbe(log: RecordingLog) {
      const probes: boolean[] = [];
      const store = new MemoryStore({
        before: (operation, key) => {
          if (key === PROBE_NAME) probes.push(log.lines.some((line) => line.startsWith('Site check')));
        },
      });
      return { store, probes };
    }

    it('warn: is sent before the site check, once', async () => {
      const log = new RecordingLog();
      const { store, probes } = watchProbe(log);
      const { outcome } = await deploySite(brokenSite(), { store, log });
      expect(outcome.result).toBe('deployed');
      expect(probes).toEqual([false]);
      expect(outcome.conditionalWrites).toBe('honoured');
    });

    it('error: only after the check passed; a refused build sends none', async () => {
      const log = new RecordingLog();
      const { store, probes } = watchProbe(log);
      const clean = writeSite({ 'index.html': '<a href="#top" id="top">top</a>' });
      const { outcome } = await deploySite(clean, { store, log, inputs: { 'link-check': 'error' } });
      expect(outcome.result).toBe('deployed');
      expect(probes).toEqual([true]);

      const refused = watchProbe(new RecordingLog());
      await deploySite(brokenSite(), { store: refused.store, inputs: { 'link-check': 'error' } });
      expect(refused.probes).toEqual([]);
    });

    it('warn: none when nothing changes, nor when the plan deletes more than max-deletes', async () => {
      const log = new RecordingLog();
      const { store, probes } = watchProbe(log);
      const site = brokenSite();
      await deploySite(site, { store, log });
      await deploySite(site, { store, log });
      expect(probes).toHaveLength(1); // the first deploy's

      const many = watchProbe(new RecordingLog());
      for (const key of ['a.html', 'b.html', 'c.html'])
        many.store.seed(key, 'old', { contentType: 'text/html', cacheControl: 'no-cache' });
      const { outcome } = await deploySite(brokenSite(), { store: many.store, inputs: { 'max-deletes': '2' } });
      expect(outcome).toMatchObject({ result: 'refused', input: 'max-deletes' });
      expect(many.probes).toEqual([]);
    });
  });

  it('off: no check at all', async () => {
    const { outcome } = await deploySite(brokenSite(), { store: new MemoryStore(), inputs: { 'link-check': 'off' } });
    expect(outcome.result).toBe('deployed');
    expect(outcome.siteCheck).toBeUndefined();
  });

  it('a bad value is refused naming the input', async () => {
    await expect(
      deploySite(brokenSite(), { store: new MemoryStore(), inputs: { 'link-check': 'loud' } }),
    ).rejects.toThrow(/Input 'link-check': must be 'error'/);
  });
});
