export const REPO: string;
export const FIXTURES: string;
export const BUILD_SITE: string;
export const PARLAI_PYTHON: string;
export const PARLAI_COMMIT: string;
export const GNU_TIME: string;
export const MYST_LINK_FIXES: Array<[file: string, from: string, to: string]>;
export function checkParlaiBuild(options?: { needTime?: boolean }): string | undefined;
export function untar(archive: string, directory: string): void;
export function prepareParlaiCheckout(directory: string): { checkout: string; pythonPath: string[] };
export interface BuildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallS: number;
  /** user + system CPU seconds of the script and every process it waited for (NaN without GNU time). */
  cpuS: number;
  /** Peak resident set size of the largest process, in KiB (NaN without GNU time). */
  rssKb: number;
  log: string;
}
export function runBuildSite(
  checkout: string,
  options?: {
    pythonPath?: string[];
    env?: Record<string, string>;
    timeoutMs?: number;
    logFile?: string;
    onOutput?: (chunk: string) => void;
  },
): Promise<BuildRun>;
