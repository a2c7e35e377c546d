import { describe, expect, it } from '@jest/globals';
import { compileGlob, anyMatcher } from '../../src/shared/globs.js';
import type { ObjectHeaders } from '../../src/pipeline/headers.js';
import { MANIFEST_NAME, type Manifest, type ManifestEntry } from '../../src/pipeline/manifest.js';
import {
  MAX_COPY_BYTES,
  type Observed,
  type RemoteObject,
  type SiteFile,
  planChanges,
  keysToVerify,
  orderWrites,
  otherDeploymentRoots,
  planDeploy,
} from '../../src/pipeline/plan.js';

const HTML: ObjectHeaders = {
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'public, max-age=0, must-revalidate',
};
const CSS: ObjectHeaders = { contentType: 'text/css; charset=utf-8', cacheControl: 'public, max-age=3600' };

function file(
  relativePath: string,
  md5: string,
  options: { prefix?: string; headers?: ObjectHeaders; size?: number; multipartEtag?: string } = {},
): SiteFile {
  const prefix = options.prefix ?? '';
  return {
    relativePath,
    absolutePath: `/site/${relativePath}`,
    key: prefix + relativePath,
    md5,
    size: options.size ?? 10,
    multipartEtag: options.multipartEtag,
    headers: options.headers ?? (relativePath.endsWith('.html') ? HTML : CSS),
  };
}

/** When the manifest's entries were recorded, and when the test bucket's objects were last written. */
const RECORDED = '2026-05-01T00:00:00.000Z';
const LISTED = new Date('2026-04-01T00:00:00Z');
const NOW = new Date('2026-06-01T00:00:00Z');

function entry(md5: string, etag: string, headers: ObjectHeaders, size = 10): ManifestEntry {
  return { md5, etag, size, ...headers, lastModified: RECORDED };
}

function manifest(entries: Record<string, ManifestEntry> = {}): Manifest {
  return { entries: new Map(Object.entries(entries)), retained: new Map(), pendingInvalidation: [], history: [] };
}

/** Remote objects as a listing shows them: every one with a LastModified (LISTED unless given). */
function listed(remote: RemoteObject[]): RemoteObject[] {
  return remote.map((object) => ({ lastModified: LISTED, ...object }));
}

const nothingExcluded = () => false;

type PlanOptions = {
  manifest?: Manifest;
  observed?: Map<string, ObjectHeaders | Observed>;
  prefix?: string;
  exclude?: (p: string) => boolean;
  deleteRemoved?: boolean;
  gracePeriodMs?: number;
  now?: Date;
};

function plan(files: SiteFile[], remote: RemoteObject[], options: PlanOptions = {}) {
  return planDeploy({
    prefix: options.prefix ?? '',
    files,
    remote: listed(remote),
    manifest: options.manifest ?? manifest(),
    observed: new Map(
      [...(options.observed ?? new Map())].map(([key, value]) => [
        key,
        'headers' in value ? value : { headers: value },
      ]),
    ),
    exclude: options.exclude ?? nothingExcluded,
    deleteRemoved: options.deleteRemoved ?? true,
    gracePeriodMs: options.gracePeriodMs ?? 0,
    now: options.now ?? NOW,
  });
}

const keys = (writes: Array<{ file: SiteFile }>) => writes.map((write) => write.file.key);

describe('planDeploy', () => {
  it('uploads what the bucket does not have, as new', () => {
    const result = plan([file('index.html', 'a'), file('style.css', 'b')], []);
    expect(result.uploads.map((w) => [w.file.key, w.reason])).toEqual([
      ['index.html', 'new'],
      ['style.css', 'new'],
    ]);
    expect(result.unchanged).toEqual([]);
    expect(result.deletes).toEqual([]);
  });

  it("leaves an object alone when its ETag is the file's MD5 and the manifest vouches for its headers", () => {
    const result = plan([file('index.html', 'a')], [{ key: 'index.html', etag: 'a', size: 10 }], {
      manifest: manifest({ 'index.html': entry('a', 'a', HTML) }),
    });
    expect(result.unchanged.map((f) => f.key)).toEqual(['index.html']);
    expect(result.unchangedEntries.get('index.html')).toEqual(entry('a', 'a', HTML));
    expect(result.uploads).toEqual([]);
    expect(result.headerUpdates).toEqual([]);
  });

  it('uploads again when the content hash differs from the manifest', () => {
    const result = plan([file('index.html', 'new-md5')], [{ key: 'index.html', etag: 'etag-1', size: 10 }], {
      manifest: manifest({ 'index.html': entry('old-md5', 'etag-1', HTML) }),
    });
    expect(result.uploads.map((w) => [w.file.key, w.reason])).toEqual([['index.html', 'changed']]);
  });

  it('rewrites only the headers when the content is the same but a header rule changed', () => {
    const newHeaders = { ...CSS, cacheControl: 'public, max-age=60' };
    const result = plan(
      [file('style.css', 'b', { headers: newHeaders })],
      [{ key: 'style.css', etag: 'b', size: 10 }],
      {
        manifest: manifest({ 'style.css': entry('b', 'b', CSS) }),
      },
    );
    expect(result.headerUpdates.map((w) => [w.file.key, w.reason])).toEqual([['style.css', 'headers']]);
    expect(result.uploads).toEqual([]);
  });

  it('re-uploads instead of copying an object too large for CopyObject', () => {
    const big = MAX_COPY_BYTES + 1;
    const newHeaders = { ...CSS, cacheControl: 'no-cache' };
    const result = plan(
      [file('video.bin', 'v', { headers: newHeaders, size: big, multipartEtag: 'v-parts-3' })],
      [{ key: 'video.bin', etag: 'v-parts-3', size: big }],
      {
        manifest: manifest({ 'video.bin': entry('v', 'v-parts-3', CSS, big) }),
      },
    );
    expect(result.uploads.map((w) => w.reason)).toEqual(['changed']);
    expect(result.headerUpdates).toEqual([]);
  });

  it('does not trust the manifest when the object was overwritten by someone else (ETag moved)', () => {
    // Recorded etag-1, bucket now has etag-9 whose content is not ours: upload.
    const result = plan([file('index.html', 'a')], [{ key: 'index.html', etag: 'etag-9', size: 10 }], {
      manifest: manifest({ 'index.html': entry('a', 'etag-1', HTML) }),
    });
    expect(result.uploads.map((w) => w.reason)).toEqual(['changed']);
  });

  it('does not trust the manifest when the size disagrees', () => {
    const result = plan([file('index.html', 'a')], [{ key: 'index.html', etag: 'etag-1', size: 11 }], {
      manifest: manifest({ 'index.html': entry('a', 'etag-1', HTML) }),
    });
    expect(result.uploads.map((w) => w.reason)).toEqual(['changed']);
  });

  describe('objects the manifest does not know (uploaded by another tool)', () => {
    const remote = [{ key: 'index.html', etag: 'a', size: 10 }];

    it('are unchanged when the plain-MD5 ETag matches and HEAD shows the right headers', () => {
      const result = plan([file('index.html', 'a')], remote, { observed: new Map([['index.html', HTML]]) });
      expect(result.unchanged.map((f) => f.key)).toEqual(['index.html']);
      expect(result.unchangedEntries.get('index.html')).toEqual({
        ...entry('a', 'a', HTML),
        lastModified: LISTED.toISOString(),
      });
    });

    it('get a header rewrite when HEAD shows other headers (e.g. s3 sync stored binary/octet-stream)', () => {
      const wrong = { contentType: 'binary/octet-stream', cacheControl: '' };
      const result = plan([file('index.html', 'a')], remote, { observed: new Map([['index.html', wrong]]) });
      expect(result.headerUpdates.map((w) => w.file.key)).toEqual(['index.html']);
    });

    it('get a header rewrite when their headers could not be read', () => {
      const result = plan([file('index.html', 'a')], remote);
      expect(result.headerUpdates.map((w) => w.file.key)).toEqual(['index.html']);
    });

    it('match a multipart ETag (md5-of-md5s-N) computed locally with the same part size', () => {
      const big = file('big.png', 'whole-md5', { multipartEtag: 'parts-md5-3', size: 20 });
      const result = plan([big], [{ key: 'big.png', etag: 'parts-md5-3', size: 20 }], {
        observed: new Map([['big.png', CSS]]),
      });
      expect(result.unchanged.map((f) => f.key)).toEqual(['big.png']);
    });

    it('are uploaded when the ETag is neither the MD5 nor the multipart ETag', () => {
      const result = plan([file('index.html', 'a')], [{ key: 'index.html', etag: 'kms-opaque', size: 10 }]);
      expect(result.uploads.map((w) => w.reason)).toEqual(['changed']);
    });
  });

  it('deletes what is gone from the build, and only under the prefix', () => {
    const result = plan(
      [file('index.html', 'a', { prefix: 'pr-1/' })],
      [
        { key: 'pr-1/index.html', etag: 'a', size: 10 },
        { key: 'pr-1/old.html', etag: 'o', size: 10 },
        { key: 'pr-10/old.html', etag: 'o', size: 10 }, // a listing never returns this for Prefix=pr-1/, but if it did…
      ],
      { prefix: 'pr-1/', observed: new Map([['pr-1/index.html', HTML]]) },
    );
    expect(result.deletes).toEqual(['pr-1/old.html']);
  });

  it('never deletes the manifest, excluded keys, or anything when delete is off', () => {
    const remote = [
      { key: MANIFEST_NAME, etag: 'm', size: 100 },
      { key: 'keep/me.txt', etag: 'k', size: 1 },
      { key: 'gone.html', etag: 'g', size: 1 },
    ];
    const exclude = compileGlob('keep');
    const withDelete = plan([file('index.html', 'a')], remote, { exclude });
    expect(withDelete.deletes).toEqual(['gone.html']);
    expect(withDelete.excludedRemote).toBe(1);
    expect(withDelete.remoteKeys).toEqual(['keep/me.txt', 'gone.html']);
    expect(plan([file('index.html', 'a')], remote, { exclude, deleteRemoved: false }).deletes).toEqual([]);
  });

  it('keeps other deployments nested under the prefix (found by their own manifests)', () => {
    const remote = [
      { key: 'old.html', etag: 'o', size: 1 },
      { key: `docs/v1/${MANIFEST_NAME}`, etag: 'm', size: 1 },
      { key: 'docs/v1/index.html', etag: 'p', size: 1 },
      { key: 'docs/v10/index.html', etag: 'p', size: 1 }, // not under docs/v1/
    ];
    const result = plan([file('index.html', 'a')], remote);
    expect(result.otherDeployments).toEqual(['docs/v1/']);
    expect(result.deletes).toEqual(['docs/v10/index.html', 'old.html']);
  });

  it('never counts or deletes the preview space (pr-*/), manifest or not: a pull request cannot make it plan deletions', () => {
    const remote = [
      { key: 'old.html', etag: 'o', size: 1 },
      { key: `pr-42/${MANIFEST_NAME}`, etag: 'm', size: 1 },
      { key: 'pr-42/index.html', etag: 'p', size: 1 },
      ...Array.from({ length: 1001 }, (_, index) => ({ key: `pr-x/junk-${index}.html`, etag: 'j', size: 1 })),
      { key: 'pr-notes.html', etag: 'n', size: 1 }, // a page at the root, not in the preview space
    ];
    const result = plan([file('index.html', 'a')], remote);
    expect(result.otherDeployments).toEqual(['pr-42/', 'pr-x/']);
    expect(result.deletes).toEqual(['old.html', 'pr-notes.html']);
  });

  it('is deterministic: deletes sorted', () => {
    const remote = ['z.html', 'a.html', 'm/x.css'].map((key) => ({ key, etag: 'e', size: 1 }));
    expect(plan([file('index.html', 'a')], remote).deletes).toEqual(['a.html', 'm/x.css', 'z.html']);
  });
});

describe('keysToVerify', () => {
  const files = [file('a.html', 'a'), file('b.html', 'b'), file('c.html', 'c'), file('d.html', 'd')];
  const remote = [
    { key: 'a.html', etag: 'a', size: 10 }, // content matches, manifest silent → verify
    { key: 'b.html', etag: 'eb', size: 10 }, // manifest vouches → no HEAD
    { key: 'c.html', etag: 'zz', size: 10 }, // content differs → upload, no HEAD
    // d.html absent → upload, no HEAD
  ];
  it('asks for headers where the ETag proves the bytes but nothing vouches for the headers', () => {
    expect(keysToVerify(files, listed(remote), manifest(), '', NOW)).toEqual({ headers: ['a.html'], checksums: [] });
  });
  it("asks for the store's checksum where only the manifest says the bytes are the file's (an opaque ETag)", () => {
    expect(keysToVerify(files, listed(remote), manifest({ 'b.html': entry('b', 'eb', HTML) }), '', NOW)).toEqual({
      headers: ['a.html'],
      checksums: ['b.html'],
    });
  });
  it('needs none on a redeploy the manifest fully knows', () => {
    const known = manifest({ 'a.html': entry('a', 'a', HTML), 'b.html': entry('b', 'b', HTML) });
    const provable = listed([
      { key: 'a.html', etag: 'a', size: 10 },
      { key: 'b.html', etag: 'b', size: 10 },
    ]);
    expect(keysToVerify(files, provable, known, '', NOW)).toEqual({ headers: [], checksums: [] });
  });
  it('compares manifest keys relative to the prefix', () => {
    const prefixed = [file('a.html', 'a', { prefix: 'p/' })];
    const known = manifest({ 'a.html': entry('a', 'a', HTML) });
    expect(keysToVerify(prefixed, listed([{ key: 'p/a.html', etag: 'a', size: 10 }]), known, 'p/', NOW)).toEqual({
      headers: [],
      checksums: [],
    });
  });
});

describe('otherDeploymentRoots', () => {
  it.each([
    [[`pr-1/${MANIFEST_NAME}`, `a/b/${MANIFEST_NAME}`, MANIFEST_NAME, `x${MANIFEST_NAME}`], '', ['a/b/', 'pr-1/']],
    [[`site/pr-1/${MANIFEST_NAME}`, `site/${MANIFEST_NAME}`], 'site/', ['pr-1/']],
  ])('%j under %j', (remoteKeys, prefix, expected) => {
    expect(
      otherDeploymentRoots(
        remoteKeys.map((key) => ({ key, etag: '', size: 0 })),
        prefix,
      ),
    ).toEqual(expected);
  });
});

describe('orderWrites and planChanges', () => {
  it('puts every asset before any page, header updates included', () => {
    const result = plan(
      [
        file('index.html', 'a'),
        file('app.css', 'b'),
        file('docs/index.html', 'c'),
        file('logo.png', 'd', { headers: { contentType: 'image/png', cacheControl: 'x' } }),
      ],
      [{ key: 'app.css', etag: 'b', size: 10 }],
    );
    const { assets, pages } = orderWrites(result);
    expect(keys(assets).sort()).toEqual(['app.css', 'logo.png']);
    expect(keys(pages).sort()).toEqual(['docs/index.html', 'index.html']);
  });

  it('lists each change once, with its kind and the headers it gets', () => {
    const result = plan(
      [
        file('new.html', 'n'),
        file('changed.html', 'c2'),
        file('hdr.css', 'h', { headers: { ...CSS, cacheControl: 'no-cache' } }),
      ],
      [
        { key: 'changed.html', etag: 'c1', size: 10 },
        { key: 'hdr.css', etag: 'h', size: 10 },
        { key: 'gone.css', etag: 'g', size: 10 },
      ],
      { manifest: manifest({ 'changed.html': entry('c1', 'c1', HTML), 'hdr.css': entry('h', 'h', CSS) }) },
    );
    const changes = planChanges(result);
    expect(changes.map((change) => [change.key, change.kind]).sort()).toEqual([
      ['changed.html', 'changed'],
      ['gone.css', 'deleted'],
      ['hdr.css', 'headers'],
      ['new.html', 'new'],
    ]);
    const headers = changes.find((change) => change.key === 'hdr.css')!;
    expect(headers).toMatchObject({ headers: { ...CSS, cacheControl: 'no-cache' }, previous: CSS, bytes: 0 });
    expect(changes.find((change) => change.key === 'new.html')).toMatchObject({ bytes: 10 });
  });
});

describe('exclude matcher in plans', () => {
  it('keeps remote keys excluded by any of several globs', () => {
    const exclude = anyMatcher([compileGlob('*.log'), compileGlob('/private')]);
    const remote = ['a.log', 'x/b.log', 'private/k', 'x/private/k'].map((key) => ({ key, etag: 'e', size: 1 }));
    expect(plan([file('index.html', 'a')], remote, { exclude }).deletes).toEqual(['x/private/k']);
  });
});

describe('grace period for deleted long-cached assets', () => {
  const DAY = 86_400_000;
  const now = new Date('2026-06-10T00:00:00Z');
  const remote = [
    { key: 'index.html', etag: 'a', size: 10 },
    { key: 'assets/app.3f2a9c1b.js', etag: 'x', size: 10 }, // fingerprinted, gone from the build
    { key: 'assets/vendor.js', etag: 'y', size: 10 }, // not fingerprinted, but served immutable (a user rule)
    { key: 'old-page.html', etag: 'z', size: 10 }, // a page: replaced in place, deleted at once
    { key: 'logo.png', etag: 'w', size: 10 }, // an ordinary asset: deleted at once
  ];
  const entries = {
    'assets/app.3f2a9c1b.js': entry('x', 'x', {
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    }),
    'assets/vendor.js': entry('y', 'y', {
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    }),
  };

  it('keeps only what a deploy of this action published: a fingerprinted-looking object put there by someone else is deleted', () => {
    const planted = [
      ...remote,
      { key: 'login.1a2b3c4d.html', etag: 'p1', size: 10 },
      { key: 'steal.5e6f7a8b.js', etag: 'p2', size: 10 },
      // in the manifest, but the listing shows another ETag: not what the action published
      { key: 'assets/chunk.9f8e7d6c.js', etag: 'replaced', size: 10 },
    ];
    const immutable = {
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    };
    const known = manifest({ ...entries, 'assets/chunk.9f8e7d6c.js': entry('c', 'c', immutable) });
    const result = plan([file('index.html', 'a')], planted, { manifest: known, gracePeriodMs: 7 * DAY, now });
    expect(result.retained.map((r) => r.key)).toEqual(['assets/app.3f2a9c1b.js', 'assets/vendor.js']);
    expect(result.deletes).toEqual([
      'assets/chunk.9f8e7d6c.js',
      'login.1a2b3c4d.html',
      'logo.png',
      'old-page.html',
      'steal.5e6f7a8b.js',
    ]);
  });

  it('keeps fingerprinted and immutable assets, deletes the rest, and starts their clock now', () => {
    const result = plan([file('index.html', 'a')], remote, {
      manifest: manifest(entries),
      gracePeriodMs: 7 * DAY,
      now,
    });
    expect(result.deletes).toEqual(['logo.png', 'old-page.html']);
    expect(result.retained).toEqual([
      { key: 'assets/app.3f2a9c1b.js', since: now, until: new Date(now.getTime() + 7 * DAY) },
      { key: 'assets/vendor.js', since: now, until: new Date(now.getTime() + 7 * DAY) },
    ]);
  });

  it('keeps them while the period runs, from when they were first found gone', () => {
    const known = manifest(entries);
    known.retained.set('assets/app.3f2a9c1b.js', new Date(now.getTime() - 6 * DAY));
    const result = plan([file('index.html', 'a')], remote, { manifest: known, gracePeriodMs: 7 * DAY, now });
    expect(result.retained.find((r) => r.key === 'assets/app.3f2a9c1b.js')).toEqual({
      key: 'assets/app.3f2a9c1b.js',
      since: new Date(now.getTime() - 6 * DAY),
      until: new Date(now.getTime() + DAY),
    });
    expect(result.deletes).not.toContain('assets/app.3f2a9c1b.js');
  });

  it('deletes them once the period is over', () => {
    const known = manifest(entries);
    known.retained.set('assets/app.3f2a9c1b.js', new Date(now.getTime() - 7 * DAY));
    const result = plan([file('index.html', 'a')], remote, { manifest: known, gracePeriodMs: 7 * DAY, now });
    expect(result.deletes).toContain('assets/app.3f2a9c1b.js');
    expect(result.retained.map((r) => r.key)).toEqual(['assets/vendor.js']);
  });

  it('deletes at once with a period of 0, and keeps everything with delete off', () => {
    // The manifest vouches for both immutable assets: a grace period would keep them (see above).
    const none = plan([file('index.html', 'a')], remote, { manifest: manifest(entries), gracePeriodMs: 0, now });
    expect(none.retained).toEqual([]);
    expect(none.deletes).toEqual(['assets/app.3f2a9c1b.js', 'assets/vendor.js', 'logo.png', 'old-page.html']);
    const off = plan([file('index.html', 'a')], remote, {
      manifest: manifest(entries),
      gracePeriodMs: 7 * DAY,
      now,
      deleteRemoved: false,
    });
    expect(off.deletes).toEqual([]);
    expect(off.retained).toEqual([]);
  });

  it('forgets an asset that came back into the build', () => {
    const known = manifest(entries);
    known.retained.set('assets/app.3f2a9c1b.js', new Date(now.getTime() - 6 * DAY));
    const back = file('assets/app.3f2a9c1b.js', 'x', {
      headers: { contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' },
    });
    const result = plan([file('index.html', 'a'), back], remote, {
      manifest: known,
      gracePeriodMs: 7 * DAY,
      now,
      observed: new Map([[back.key, back.headers]]),
    });
    expect(result.retained.map((r) => r.key)).toEqual(['assets/vendor.js']);
    expect(result.unchanged.map((f) => f.key)).toContain('assets/app.3f2a9c1b.js');
  });
});
