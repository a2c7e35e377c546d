import v8 from 'node:v8';

// How V8 sizes the heap, chosen by the size of the build. `--optimize-for-size` keeps the heap close to what
// is live: it is what holds a no-change deploy of 1,000,000 files under 1 GB (966 MB; 1,966 MB without it),
// and it costs CPU in the collector on every site: 0.2-0.3 s of a few thousand files' deploy, over a third of
// 100,000 files' no-change run. Below 100,000 files the heap stays under 400 MB without it (368-396 MB at
// 100,000), far from a runner's 7 GB, so there speed wins (docs/performance.md, "The heap setting"). The
// runner gives no other way to pass V8 options to a JavaScript action; a Node that ignores the flag runs as
// it would without it.

/** From this many files in the build, the heap favours memory over speed. */
export const COMPACT_HEAP_FROM = 100_000;

/** V8's heap flag for a build of this many files. */
export function heapFlag(files: number): '--optimize-for-size' | '--no-optimize-for-size' {
  return files < COMPACT_HEAP_FROM ? '--no-optimize-for-size' : '--optimize-for-size';
}

/** At start-up, before the build's size is known: compact, so that a very large build never swells first. */
export function compactHeap(): void {
  v8.setFlagsFromString('--optimize-for-size');
}

/** Once the walk of the build has found its files (the pipeline's `buildSize` port). */
export function sizeHeapFor(files: number): void {
  v8.setFlagsFromString(heapFlag(files));
}
