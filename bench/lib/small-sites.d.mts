// Types of what the tests use of small-sites.mjs (the bench's ParlAI-sites phase).
export interface SmallSiteRow {
  site: string;
  latencyMs: number;
  scenario: string;
  /** This action's median wall time over the fastest tuned peer's. */
  ratio: number;
  /** This action's median CPU seconds over tuned rclone's. */
  cpuRatio: number;
}

/** Medians per site, latency, scenario and tool, and the action's ratio to the fastest tuned peer. */
export function smallSiteTable(result: unknown): SmallSiteRow[];
