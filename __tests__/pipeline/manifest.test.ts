import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import {
  MANIFEST_NAME,
  NewerManifestError,
  type Manifest,
  type ManifestEntry,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  isManifestPath,
  sameManifest,
  unzippedLimit,
} from '../../src/pipeline/manifest.js';

const DATE = new Date('2024-05-01T12:34:56.789Z');

const HTML_ENTRY: ManifestEntry = {
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  etag: '"d41d8cd98f00b204e9800998ecf8427e"',
  size: 0,
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'public, max-age=0, must-revalidate',
};
const JS_ENTRY: ManifestEntry = {
  md5: '9e107d9d372bb6826bd81d3542a419d6',
  etag: '"3858f62230ac3c915f300c664312c63f-2"',
  size: 10485760,
  contentType: 'text/javascript; charset=utf-8',
  cacheControl: 'public, max-age=31536000, immutable',
};
const PNG_ENTRY: ManifestEntry = {
  md5: 'e4d909c290d0fb1ca068ffaddf22cbd0',
  etag: '"e4d909c290d0fb1ca068ffaddf22cbd0"',
  size: 2048,
  contentType: 'image/png',
  cacheControl: 'public, max-age=3600',
};

function manifestOf(entries: Array<[string, ManifestEntry]>): Manifest {
  return { entries: new Map(entries), retained: new Map(), pendingInvalidation: [], history: [] };
}

function gzipJson(value: unknown): Buffer {
  return gzipSync(JSON.stringify(value));
}

const VALID_DOCUMENT = {
  format: 'parlai-site-deploy/manifest',
  version: 1,
  updatedAt: DATE.toISOString(),
  entries: {},
};

describe('encodeManifest / decodeManifest', () => {
  it.each<[string, Array<[string, ManifestEntry]>]>([
    ['empty', []],
    ['one entry', [['index.html', HTML_ENTRY]]],
    [
      'several entries, nested and unicode keys',
      [
        ['index.html', HTML_ENTRY],
        ['static/js/app.3f2a9c1b.js', JS_ENTRY],
        ['img/café 😀.png', PNG_ENTRY],
      ],
    ],
    [
      'keys that are Object.prototype names',
      [
        ['__proto__', HTML_ENTRY],
        ['constructor', PNG_ENTRY],
        ['toString', JS_ENTRY],
      ],
    ],
  ])('round-trips %s', (_title, entries) => {
    const encoded = encodeManifest(manifestOf(entries), DATE);
    expect(encoded[0]).toBe(0x1f);
    expect(encoded[1]).toBe(0x8b);
    const decoded = decodeManifest(encoded);
    expect(decoded.entries).toEqual(new Map(entries));
  });

  it('writes a header line (format and version first), then one line per entry sorted by key', () => {
    const encoded = encodeManifest(
      manifestOf([
        ['b.html', HTML_ENTRY],
        ['a.png', { ...PNG_ENTRY, lastModified: '2024-04-01T00:00:00.000Z', versionId: 'v-7' }],
        ['B.js', JS_ENTRY],
      ]),
      DATE,
    );
    const lines = gunzipSync(encoded).toString('utf8').split('\n');
    expect(lines[0]).toBe(
      '{"format":"parlai-site-deploy/manifest","version":3,"updatedAt":"2024-05-01T12:34:56.789Z"}',
    );
    expect(lines.slice(1).map((line) => (line ? JSON.parse(line) : line))).toEqual([
      ['e', 'B.js', JS_ENTRY.md5, JS_ENTRY.etag, 10485760, JS_ENTRY.contentType, JS_ENTRY.cacheControl, null],
      [
        'e',
        'a.png',
        PNG_ENTRY.md5,
        PNG_ENTRY.etag,
        2048,
        'image/png',
        'public, max-age=3600',
        '2024-04-01T00:00:00.000Z',
        'v-7',
      ],
      ['e', 'b.html', HTML_ENTRY.md5, HTML_ENTRY.etag, 0, HTML_ENTRY.contentType, HTML_ENTRY.cacheControl, null],
      '',
    ]);
  });

  it('is deterministic: the same entries in another insertion order give the same bytes', () => {
    const one = encodeManifest(
      manifestOf([
        ['index.html', HTML_ENTRY],
        ['static/app.js', JS_ENTRY],
        ['img/a.png', PNG_ENTRY],
      ]),
      DATE,
    );
    const two = encodeManifest(
      manifestOf([
        ['img/a.png', PNG_ENTRY],
        ['index.html', HTML_ENTRY],
        ['static/app.js', JS_ENTRY],
      ]),
      new Date(DATE.getTime()),
    );
    expect(Buffer.compare(one, two)).toBe(0);
  });

  it('differs when the date differs', () => {
    const entries: Array<[string, ManifestEntry]> = [['index.html', HTML_ENTRY]];
    const one = encodeManifest(manifestOf(entries), DATE);
    const two = encodeManifest(manifestOf(entries), new Date(DATE.getTime() + 1000));
    expect(Buffer.compare(one, two)).not.toBe(0);
  });

  it('an empty manifest has no entries and round-trips', () => {
    expect(emptyManifest().entries.size).toBe(0);
    expect(decodeManifest(encodeManifest(emptyManifest(), DATE)).entries.size).toBe(0);
  });

  it.each<[string, Buffer]>([
    ['wrong format', gzipJson({ ...VALID_DOCUMENT, format: 'something-else' })],
    ['no format', gzipJson({ version: 1, entries: {} })],
    ['an unknown older version', gzipJson({ ...VALID_DOCUMENT, version: 0 })],
    ['version as a string', gzipJson({ ...VALID_DOCUMENT, version: '1' })],
    ['no entries', gzipJson({ format: VALID_DOCUMENT.format, version: 1 })],
    ['null entries', gzipJson({ ...VALID_DOCUMENT, entries: null })],
    ['entries as a string', gzipJson({ ...VALID_DOCUMENT, entries: 'x' })],
    ['not gzip', Buffer.from(JSON.stringify(VALID_DOCUMENT))],
    ['empty body', Buffer.alloc(0)],
    ['truncated gzip', encodeManifest(manifestOf([['index.html', HTML_ENTRY]]), DATE).subarray(0, 20)],
    ['gzip of non-JSON', gzipSync('not json at all')],
    ['gzip of JSON null', gzipSync('null')],
    ['gzip of a JSON array', gzipSync('[]')],
  ])('rejects %s', (_title, body) => {
    expect(() => decodeManifest(body)).toThrow();
  });

  it('accepts a valid document with no entries', () => {
    expect(decodeManifest(gzipJson(VALID_DOCUMENT)).entries.size).toBe(0);
  });

  it('drops malformed entries and keeps the valid ones', () => {
    const body = gzipJson({
      ...VALID_DOCUMENT,
      entries: {
        'good.html': HTML_ENTRY,
        'null.html': null,
        'string.html': 'x',
        'number.html': 7,
        'size-as-string.png': { ...PNG_ENTRY, size: '2048' },
        'no-etag.png': { md5: PNG_ENTRY.md5, size: 1, contentType: 'image/png', cacheControl: 'x' },
        'md5-number.js': { ...JS_ENTRY, md5: 5 },
        'no-cache-control.js': { md5: 'a', etag: 'b', size: 1, contentType: 'c' },
        'content-type-null.js': { ...JS_ENTRY, contentType: null },
        'good.js': JS_ENTRY,
      },
    });
    const { entries } = decodeManifest(body);
    expect([...entries.keys()].sort()).toEqual(['good.html', 'good.js']);
    expect(entries.get('good.html')).toEqual(HTML_ENTRY);
    expect(entries.get('good.js')).toEqual(JS_ENTRY);
  });
});

describe('isManifestPath', () => {
  it('has the documented name', () => {
    expect(MANIFEST_NAME).toBe('.parlai-site-deploy.json.gz');
  });

  it.each<[string, boolean]>([
    [MANIFEST_NAME, true],
    [`pr-1/${MANIFEST_NAME}`, true],
    [`previews/pr-42/${MANIFEST_NAME}`, true],
    [`x${MANIFEST_NAME}`, false],
    [`pr-1/x${MANIFEST_NAME}`, false],
    [`${MANIFEST_NAME}.bak`, false],
    [`${MANIFEST_NAME}/index.html`, false],
    ['.parlai-site-deploy.json', false],
    ['index.html', false],
    ['', false],
  ])('%j → %s', (key, expected) => {
    expect(isManifestPath(key)).toBe(expected);
  });
});

describe('retained assets', () => {
  it('round-trip with their dates, and drop unreadable dates', () => {
    const since = new Date('2026-03-04T05:06:07.000Z');
    const body = encodeManifest(
      {
        entries: new Map(),
        retained: new Map([['assets/app.3f2a9c1b.js', since]]),
        pendingInvalidation: [],
        history: [],
      },
      new Date(),
    );
    expect(decodeManifest(body).retained).toEqual(new Map([['assets/app.3f2a9c1b.js', since]]));
    const json = JSON.stringify({
      format: 'parlai-site-deploy/manifest',
      version: 1,
      entries: {},
      retained: { a: 'not a date', b: 3, c: '2026-01-01T00:00:00Z' },
    });
    expect(decodeManifest(gzipSync(json)).retained).toEqual(new Map([['c', new Date('2026-01-01T00:00:00Z')]]));
  });
  it('a manifest without them reads as none retained', () => {
    const json = JSON.stringify({ format: 'parlai-site-deploy/manifest', version: 1, entries: {} });
    expect(decodeManifest(gzipSync(json)).retained).toEqual(new Map());
  });
});

describe('sameManifest', () => {
  const entry = { md5: 'a', etag: 'e', size: 1, contentType: 't', cacheControl: 'c' };
  const base = (): Manifest => ({
    entries: new Map([['x', { ...entry }]]),
    retained: new Map([['old.js', new Date(1000)]]),
    pendingInvalidation: [],
    history: [],
  });
  it('is true for equal state in a fresh copy', () => {
    expect(sameManifest(base(), base())).toBe(true);
  });
  it.each<[string, (m: ReturnType<typeof base>) => void]>([
    ['an entry field', (m) => (m.entries.get('x')!.etag = 'f')],
    ['a header', (m) => (m.entries.get('x')!.cacheControl = 'no-cache')],
    ['an added entry', (m) => m.entries.set('y', { ...entry })],
    ['a removed entry', (m) => m.entries.delete('x')],
    ['a renamed entry', (m) => (m.entries.delete('x'), m.entries.set('z', { ...entry }))],
    ['a retained date', (m) => m.retained.set('old.js', new Date(2000))],
    ['a retained key', (m) => (m.retained.delete('old.js'), m.retained.set('other.js', new Date(1000)))],
  ])('is false when %s differs', (_what, change) => {
    const changed = base();
    change(changed);
    expect(sameManifest(base(), changed)).toBe(false);
  });
});

describe('version 2: claims, pending invalidations, limits', () => {
  const claim = {
    run: 'run-7',
    attempt: '2',
    runUrl: 'https://github.com/o/r/actions/runs/7',
    started: '2024-05-01T12:00:00.000Z',
    expires: '2024-05-01T12:10:00.000Z',
    planDigest: 'ab'.repeat(32),
  };

  it('round-trips a claim and pending invalidation paths', () => {
    const manifest: Manifest = { ...manifestOf([['a.png', PNG_ENTRY]]), claim, pendingInvalidation: ['/b', '/a'] };
    const decoded = decodeManifest(encodeManifest(manifest, DATE));
    expect(decoded.claim).toEqual(claim);
    expect(decoded.pendingInvalidation).toEqual(['/a', '/b']);
  });

  it('reads a version 1 manifest (written by the previous release) as it is', () => {
    const decoded = decodeManifest(gzipJson({ ...VALID_DOCUMENT, version: 1 }));
    expect(decoded.claim).toBeUndefined();
    expect(decoded.pendingInvalidation).toEqual([]);
  });

  it('refuses a newer format with NewerManifestError, naming its version', () => {
    expect(() => decodeManifest(gzipJson({ ...VALID_DOCUMENT, version: 4 }))).toThrow(NewerManifestError);
    expect(() => decodeManifest(gzipJson({ ...VALID_DOCUMENT, version: 99 }))).toThrow('format 99');
  });

  it('drops pending paths that are not paths, and a malformed claim', () => {
    const decoded = decodeManifest(
      gzipJson({ ...VALID_DOCUMENT, pendingInvalidation: ['/ok', 'no-slash', 7], claim: { run: 'x' } }),
    );
    expect(decoded.pendingInvalidation).toEqual(['/ok']);
    expect(decoded.claim).toBeUndefined();
  });

  it('refuses a body over the size limit, and a gzip bomb past the unzipped limit, without unzipping it all', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 32));
    expect(bomb.length).toBeLessThan(16 * 1024);
    expect(() => decodeManifest(bomb, { bytes: 1024 * 1024, unzipped: 64 * 1024 })).toThrow(
      /unzips to more than 65536/,
    );
    expect(() => decodeManifest(bomb, { bytes: 1024, unzipped: 64 * 1024 })).toThrow(/larger than 1024 bytes/);
  });

  it('a manifest with a claim is never the same state as one without', () => {
    const plain = manifestOf([['a.png', PNG_ENTRY]]);
    expect(sameManifest({ ...plain, claim }, plain)).toBe(false);
    expect(sameManifest({ ...plain, pendingInvalidation: ['/a'] }, plain)).toBe(false);
  });
});

describe('format 3: a forged manifest costs bounded work and memory', () => {
  const header = '{"format":"parlai-site-deploy/manifest","version":3,"updatedAt":"2024-05-01T12:34:56.789Z"}';
  const gz = (text: string) => gzipSync(text);

  it('refuses a header that parses into millions of objects, before parsing it', () => {
    // A few hundred KB of gzip that would be ~10^7 objects for JSON.parse.
    const bomb = `{"format":"parlai-site-deploy/manifest","version":3,"claim":[${'{},'.repeat(10_000_000)}{}]}`;
    const body = gz(bomb);
    expect(body.length).toBeLessThan(200 * 1024);
    const before = process.memoryUsage().heapUsed;
    expect(() => decodeManifest(body, { unzipped: 64 * 1024 * 1024 })).toThrow(/first line is too long/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses it too when the bomb hides in an entry line, or past the unzipped limit the listing sets', () => {
    const entryBomb = `${header}\n["e","a.html",[${'{},'.repeat(1_000_000)}{}]]\n`;
    expect(() => decodeManifest(gz(entryBomb), { unzipped: 64 * 1024 * 1024 })).toThrow(/line too long/);
    expect(() => decodeManifest(gz(entryBomb))).toThrow(/unzips to more than/);
    expect(unzippedLimit(1000)).toBeLessThan(4 * 1024 * 1024);
  });

  it('recognises a newer version from its first bytes, even when its header is too long to parse', () => {
    const newer = `{"format":"parlai-site-deploy/manifest","version":4,"x":"${'y'.repeat(300_000)}"}`;
    expect(() => decodeManifest(gz(newer), { unzipped: 1024 * 1024 })).toThrow(NewerManifestError);
  });

  it('keeps only the entries asked for (the listed keys), and refuses a malformed line', () => {
    const line = (path: string) =>
      JSON.stringify(['e', path, 'ab'.repeat(16), 'ab'.repeat(16), 1, 'text/html', 'x', null]);
    const body = gz([header, line('a.html'), line('gone.html')].join('\n'));
    expect([...decodeManifest(body, { keep: (path) => path === 'a.html' }).entries.keys()]).toEqual(['a.html']);
    for (const bad of [
      ['e', 'a.html', 'not-an-md5', 'e', 1, 't', 'c', null],
      ['e', 'a.html', 'ab'.repeat(16), 'e', -1, 't', 'c', null],
      ['e', 'a.html', 'ab'.repeat(16), 'e', 1, 't', 'c', 'not a date'],
      ['e', 'a\nb', 'ab'.repeat(16), 'e', 1, 't', 'c', null],
      ['x', 'a.html'],
      { e: 'a.html' },
    ]) {
      expect(() => decodeManifest(gz(`${header}\n${JSON.stringify(bad)}`))).toThrow();
    }
  });

  it('drops a claim whose fields are not what a run writes, keeping the rest', () => {
    const claim = { run: 'run-1', attempt: '1', started: 'yesterday', expires: 'never', planDigest: 'x' };
    const decoded = decodeManifest(gz(JSON.stringify({ format: 'parlai-site-deploy/manifest', version: 3, claim })));
    expect(decoded.claim).toBeUndefined();
  });
});
