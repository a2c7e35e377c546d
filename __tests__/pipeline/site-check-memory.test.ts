import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { detached, scanCss, scanHtml } from '../../src/pipeline/site-check/extract.js';

// What a scan keeps must not keep the page: the check holds every page's references until all pages are
// read, and a reference that is a slice of its page's text holds all of that text. Measured with the heap:
// scan pages of 200 KB, keep only the scans, collect garbage.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function page(index: number): string {
  const links = Array.from(
    { length: 20 },
    (_, link) => `<a id="section-${index}-${link}" href="/docs/page-${index}-${link}.html#part-${link}">x</a>`,
  ).join('\n');
  // Built piece by piece, then flattened, as a file read from disk is: one string of its own per page.
  return Buffer.from(`<html><body>${links}<p>${'filler text '.repeat(17_000)}</p></body></html>`).toString();
}

function retainedBy<T>(make: (index: number) => T, count: number): { kept: T[]; bytes: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: count }, (_, index) => make(index));
  gc();
  return { kept, bytes: process.memoryUsage().heapUsed - before };
}

describe('what a page scan keeps', () => {
  it('holds the URLs and ids, not the text of the pages they came from', () => {
    const pages = 100; // 20 MB of text
    const { kept, bytes } = retainedBy((index) => scanHtml(page(index)), pages);
    expect(kept[7]!.references[3]!.url).toBe('/docs/page-7-3.html#part-3');
    expect(kept[7]!.ids.has('section-7-19')).toBe(true);
    expect(bytes).toBeLessThan(4 * 1024 * 1024);
  });

  it('holds the URLs of a stylesheet, not its text', () => {
    const css = (index: number) =>
      Buffer.from(
        `a { background: url("/img/pic-${index}-long-name.png"); }\n${'/* pad */ '.repeat(20_000)}`,
      ).toString();
    const { kept, bytes } = retainedBy((index) => scanCss(css(index)), 100);
    expect(kept[3]![0]!.url).toBe('/img/pic-3-long-name.png');
    expect(bytes).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('detached', () => {
  it('gives the same strings, also one holding a NUL', () => {
    expect(detached(['a', 'b\u0000c', ''])).toEqual(['a', 'b\u0000c', '']);
    expect(detached(['/x.html', 'id'])).toEqual(['/x.html', 'id']);
    expect(detached([])).toEqual([]);
  });
});
