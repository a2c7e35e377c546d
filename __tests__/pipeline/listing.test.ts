// The bucket listing (listing.ts): S3's key order, and key ranges listed side by side that give exactly the
// flat listing whatever the bounds, when they arrive, and whatever the store does with StartAfter.
import { describe, expect, it } from '@jest/globals';
import { LIST_PAGE_KEYS, compareKeys, listAll, listInRanges, rangeBounds } from '../../src/pipeline/listing.js';
import { MemoryStore } from '../support/memory-store.js';
import { seeded } from '../support/random.js';

// Letters, a high BMP character (U+FF21, above every surrogate) and an astral one (U+1F600, a surrogate
// pair): the characters where JavaScript's order and S3's (UTF-8 bytes) disagree.
const ALPHABET = ['a', 'b', 'z', '/', '.', '\uff21', '\u{1f600}', 'é'];

function keysOf(count: number, seed: number): string[] {
  const next = seeded(seed);
  const keys = new Set<string>();
  while (keys.size < count) {
    let key = 'site/';
    for (let length = 1 + Math.floor(next() * 6); length > 0; length -= 1)
      key += ALPHABET[Math.floor(next() * ALPHABET.length)];
    keys.add(key);
  }
  return [...keys];
}

async function storeWith(keys: string[], options: ConstructorParameters<typeof MemoryStore>[0] = {}) {
  const store = new MemoryStore({ unversioned: true, ...options });
  for (const key of keys)
    await store.putObject(key, Buffer.from(key), { contentType: 'text/plain', cacheControl: 'no-cache' });
  store.requests.length = 0;
  return store;
}

describe('compareKeys', () => {
  it("orders keys as S3 does (UTF-8 bytes), not as JavaScript's < does", () => {
    const keys = keysOf(400, 1);
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...keys].sort(compareKeys)).toEqual(byBytes);
    // The case that differs: U+FF21 is one UTF-16 unit above the surrogates, but a smaller code point.
    expect('\uff21' < '\u{1f600}').toBe(false);
    expect(compareKeys('\uff21', '\u{1f600}')).toBeLessThan(0);
  });
});

describe('listInRanges', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'seed %i: any bounds, arriving at any time, give every key once in S3 order',
    async (seed) => {
      const keys = keysOf(300, seed);
      const next = seeded(seed * 7);
      const store = await storeWith(keys, { pageSize: 7 });
      const flat = await listAll(store, 'site/');
      expect(flat.map((object) => object.key)).toEqual([...keys].sort(compareKeys));
      // Bounds that are keys, that are not, out of order, repeated, below and above every key.
      const bounds = [...keysOf(12, seed + 100), keys[3]!, keys[3]!, 'site/', 'site/\u{10ffff}'].filter(
        () => next() < 0.7,
      );
      let release: () => void = () => undefined;
      const late = new Promise<void>((resolve) => (release = resolve));
      const delayed = new MemoryStore({ unversioned: true, pageSize: 7 });
      Object.assign(delayed, { versions: (store as unknown as { versions: unknown }).versions });
      const pages = delayed.listPages.bind(delayed);
      let listings = 0;
      delayed.listPages = async function* (prefix, startAfter) {
        listings += 1;
        for await (const page of pages(prefix, startAfter)) {
          yield page;
          if (listings === 1) release(); // the bounds arrive once the first range has a page
        }
      };
      const early = await listInRanges(store, 'site/', Promise.resolve(bounds));
      const afterAPage = await listInRanges(
        delayed,
        'site/',
        late.then(() => bounds),
      );
      expect(early).toEqual(flat);
      expect(afterAPage).toEqual(flat);
    },
  );

  it('lists a large prefix in ranges side by side, in about as many pages as one listing takes', async () => {
    const paths = Array.from(
      { length: 5 * LIST_PAGE_KEYS },
      (_, index) => `page-${String(index).padStart(5, '0')}.html`,
    );
    const store = await storeWith(paths.map((path) => `site/${path}`));
    let inFlight = 0;
    let mostInFlight = 0;
    const pages = store.listPages.bind(store);
    store.listPages = async function* (prefix, startAfter) {
      const iterator = pages(prefix, startAfter)[Symbol.asyncIterator]();
      for (;;) {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        const result = await iterator.next();
        inFlight -= 1;
        if (result.done) return;
        yield result.value;
      }
    };
    const bounds = rangeBounds(paths, 8, 'site/');
    expect(bounds).toHaveLength(4);
    const listed = await listInRanges(store, 'site/', Promise.resolve(bounds));
    expect(listed.map((object) => object.key)).toEqual(paths.map((path) => `site/${path}`));
    // 5 ranges of one page each; the first range needs a second page to see its bound (the bounds came after its first request).
    expect(store.count('ListObjectsV2')).toBeLessThanOrEqual(6);
    expect(mostInFlight).toBe(5);
  });

  it('still gives every key once from a store that ignores StartAfter', async () => {
    const keys = keysOf(200, 9);
    const store = await storeWith(keys, { pageSize: 16, ignoreStartAfter: true });
    const bounds = rangeBounds([...keys].sort(compareKeys), 3).map((bound) => bound);
    const listed = await listInRanges(store, 'site/', Promise.resolve([keys[10]!, keys[50]!, ...bounds]));
    expect(listed.map((object) => object.key)).toEqual([...keys].sort(compareKeys));
  });

  it('fails when one range fails, and the other ranges stop', async () => {
    const keys = keysOf(200, 11);
    let listings = 0;
    const store = await storeWith(keys, {
      pageSize: 10,
      before: (operation, key) => {
        if (operation !== 'ListObjectsV2') return;
        listings += 1;
        if (key.includes(' after ') && listings === 4) throw new Error('SlowDown: please reduce your request rate');
      },
    });
    const sorted = [...keys].sort(compareKeys);
    await expect(listInRanges(store, 'site/', Promise.resolve([sorted[40]!, sorted[120]!]))).rejects.toThrow(
      'SlowDown',
    );
    const settled = listings;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listings).toBeLessThanOrEqual(settled + 2);
    expect(listings).toBeLessThan(20);
  });
});

describe('rangeBounds', () => {
  it('makes no ranges for a site of one page, and whole pages per range above that', () => {
    const paths = (count: number) => Array.from({ length: count }, (_, index) => `f${String(index).padStart(7, '0')}`);
    expect(rangeBounds(paths(LIST_PAGE_KEYS), 32)).toEqual([]);
    expect(rangeBounds(paths(LIST_PAGE_KEYS + 1), 32)).toEqual(['f0000999']);
    expect(rangeBounds(paths(5 * LIST_PAGE_KEYS), 1)).toEqual([]);
    // 100 pages in at most 32 ranges: 4 pages each, so 25 ranges (24 bounds).
    const bounds = rangeBounds(paths(100 * LIST_PAGE_KEYS), 32, 'p/');
    expect(bounds).toHaveLength(24);
    expect(bounds[0]).toBe('p/f0003999');
    expect(bounds[23]).toBe('p/f0095999');
  });
});
