// Types of what the tests use of throttle.mjs (the bench's write-window phase).
export interface ThrottleCell {
  median: number;
  min: number;
  max: number;
}
export interface ThrottleRow {
  id: string;
  label: string;
  failed: number;
  wallS: ThrottleCell;
  cpuS: ThrottleCell;
  rssMB: ThrottleCell;
  writesPerS: number;
  slowDowns: ThrottleCell;
  peak?: number;
  final?: number;
}
export interface ThrottleSummary {
  condition: { id: string; latencyMs: number; writesPerSecond: number; label: string };
  auto: ThrottleRow;
  fixed: ThrottleRow;
  before: ThrottleRow;
  bestPeer?: ThrottleRow;
  /** `concurrency: auto`'s median wall time over the fastest tuned peer's that never failed. */
  ratio?: number;
}

export function throttleSummary(result: unknown): ThrottleSummary[];
