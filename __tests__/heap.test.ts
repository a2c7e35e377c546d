// V8's heap sizing by the size of the build (src/heap.ts): compact at start-up and for large builds, where it
// keeps a million-file deploy under 1 GB; growing freely for small ones, where it saves CPU in the collector.
import { describe, expect, it } from '@jest/globals';
import { COMPACT_HEAP_FROM, heapFlag } from '../src/heap.js';

describe('the heap flag for a build', () => {
  it('lets the heap grow below COMPACT_HEAP_FROM files: ParlAI’s sites, tens of thousands of files', () => {
    for (const files of [0, 168, 367, 5_000, 50_000, COMPACT_HEAP_FROM - 1]) {
      expect([files, heapFlag(files)]).toEqual([files, '--no-optimize-for-size']);
    }
  });

  it('keeps it compact from COMPACT_HEAP_FROM files up to a million', () => {
    for (const files of [COMPACT_HEAP_FROM, 1_000_000]) {
      expect([files, heapFlag(files)]).toEqual([files, '--optimize-for-size']);
    }
  });
});
