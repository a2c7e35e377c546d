import type { RemoteObject } from './plan.js';
import type { ObjectStore } from './ports.js';

// The bucket listing. S3 answers 1,000 keys a page and each page needs the previous one's token, so a flat
// listing of a million objects is 1,000 round trips one after another. Listed in key ranges side by side
// (each range starts with `StartAfter` at its lower bound and stops at its upper one), it takes the time
// of the longest range instead. The bounds come from the build's own paths (a redeploy's keys are mostly
// the build's): they only decide how the work is shared, never what is listed — any bounds, even wrong
// ones, give every key exactly once, in S3's order.

/** S3's page size: a range is worth its own requests from this many keys. */
export const LIST_PAGE_KEYS = 1000;

/** S3's key order: UTF-8 bytes, which is code-point order (JavaScript's `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // Only where a surrogate (U+D800–DFFF, half of a code point above U+FFFF) meets a unit above it do the
    // two orders differ: a surrogate pair encodes a larger code point than any unit from U+E000 up.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh && (xHigh ? y >= 0xe000 : x >= 0xe000)) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Every object under the prefix, one page after another. */
export async function listAll(store: Pick<ObjectStore, 'listPages'>, prefix: string): Promise<RemoteObject[]> {
  const objects: RemoteObject[] = [];
  for await (const page of store.listPages(prefix)) objects.push(...page);
  return objects;
}

/**
 * Upper bounds for ranges of whole pages of these paths (at most `maxRanges` ranges), as keys under
 * `prefix` in S3's order; none when one range serves. The paths come sorted in any order: a bound picked
 * out of place only makes its neighbours' ranges unequal.
 */
export function rangeBounds(paths: readonly string[], maxRanges: number, prefix = ''): string[] {
  const pages = Math.ceil(paths.length / LIST_PAGE_KEYS);
  const ranges = Math.max(1, Math.min(maxRanges, pages));
  if (ranges === 1) return [];
  // Whole pages per range: a range that ends exactly at its bound needs no extra request to find its end.
  const step = Math.ceil(pages / ranges) * LIST_PAGE_KEYS;
  const bounds = new Set<string>();
  for (let index = step - 1; index < paths.length - 1; index += step) bounds.add(prefix + paths[index]!);
  return [...bounds].sort(compareKeys);
}

/**
 * Every object under the prefix, listed in ranges side by side once `bounds` resolves. The first range
 * starts at once, so a small site waits for nothing; when the bounds come, it stops at the first bound past
 * what it has already listed and the ranges above start. A store that ignores `StartAfter` answers keys
 * below a range's start: they are dropped (the range then only costs time).
 */
export async function listInRanges(
  store: Pick<ObjectStore, 'listPages'>,
  prefix: string,
  bounds: Promise<readonly string[]>,
): Promise<RemoteObject[]> {
  const listing = { stopped: false };
  const first: { objects: RemoteObject[]; last?: string; done: boolean; until?: string } = {
    objects: [],
    done: false,
  };
  let above: Promise<RemoteObject[][]> = Promise.resolve([]);
  const starting = bounds.then(
    (known) => {
      if (first.done || listing.stopped) return;
      const ahead = [...new Set(known)]
        .sort(compareKeys)
        .filter((bound) => first.last === undefined || compareKeys(bound, first.last) > 0);
      if (ahead.length === 0) return;
      first.until = ahead[0];
      above = Promise.all(ahead.map((from, index) => listRange(store, prefix, from, ahead[index + 1], listing)));
      // Awaited below; until then a failed range must not count as an unhandled rejection.
      above.catch(() => undefined);
    },
    () => undefined,
  );
  try {
    for await (const page of store.listPages(prefix)) {
      const kept = trimAbove(page, first.until);
      first.objects.push(...kept);
      if (kept.length > 0) first.last = kept[kept.length - 1]!.key;
      if (kept.length < page.length || (first.until !== undefined && first.last === first.until)) break;
    }
    first.done = true;
    await starting;
    const ranges = await above;
    return ranges.reduce((all, range) => all.concat(range), first.objects);
  } catch (error) {
    listing.stopped = true; // the other ranges stop at their next page
    throw error;
  }
}

/** The keys in (from, until] (until absent: to the end), listed from `from` on. */
async function listRange(
  store: Pick<ObjectStore, 'listPages'>,
  prefix: string,
  from: string,
  until: string | undefined,
  listing: { stopped: boolean },
): Promise<RemoteObject[]> {
  const objects: RemoteObject[] = [];
  try {
    for await (const page of store.listPages(prefix, from)) {
      if (listing.stopped) break;
      objects.push(
        ...trimAbove(
          page.filter((object) => compareKeys(object.key, from) > 0),
          until,
        ),
      );
      const last = page[page.length - 1];
      if (until !== undefined && last !== undefined && compareKeys(last.key, until) >= 0) break;
    }
  } catch (error) {
    listing.stopped = true;
    throw error;
  }
  return objects;
}

/** The page's objects up to and including `until` (a page is sorted, so from the end). */
function trimAbove(page: RemoteObject[], until: string | undefined): RemoteObject[] {
  if (until === undefined) return page;
  let end = page.length;
  while (end > 0 && compareKeys(page[end - 1]!.key, until) > 0) end -= 1;
  return end === page.length ? page : page.slice(0, end);
}
