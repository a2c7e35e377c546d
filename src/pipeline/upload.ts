import { errorMessage } from '../shared/errors.js';
import { formatBytes } from '../shared/text.js';
import { type Plan, type PlannedWrite, orderWrites } from './plan.js';
import type { ObjectStore, Written } from './ports.js';
import { type WindowReport, WriteWindow } from './write-window.js';

/** What uploading needs from the store. */
export type ObjectWriter = Pick<ObjectStore, 'putFile' | 'copyWithHeaders' | 'copyVersion' | 'throttled'>;

export interface WrittenObject {
  write: PlannedWrite;
  /** What the store answered: the ETag, and the version on a versioned bucket. */
  written: Written;
}

export interface FailedWrite {
  write: PlannedWrite;
  message: string;
}

export interface UploadResult {
  written: WrittenObject[];
  failed: FailedWrite[];
  /** Pages held back because an asset failed: a page never goes live before what it links. */
  notAttempted: PlannedWrite[];
  bytesUploaded: number;
  /** How the in-flight window moved (write-window.ts). */
  window: WindowReport;
}

export interface UploadOptions {
  /** Writes in flight at the start. */
  concurrency: number;
  /** The most writes in flight ever: the window adapts between 1 and this. */
  maxConcurrency: number;
  log: (line: string) => void;
  progressIntervalMs?: number;
  /** Called as each write completes (the manifest records when). */
  onWritten?: (write: PlannedWrite) => void;
  /** Checked before each write: a reason to stop (the claim was lost), or undefined to go on. */
  stopBefore?: () => string | undefined;
}

const sentBytes = (write: PlannedWrite): number =>
  write.reason === 'headers' || write.sourceVersion ? 0 : write.file.size;

/**
 * Writes the plan's uploads and header updates: every asset first, then the pages (only if all assets
 * made it). Failures are collected, not thrown, so the caller can report each one and skip deletes.
 */
export async function uploadAll(store: ObjectWriter, plan: Plan, options: UploadOptions): Promise<UploadResult> {
  const { assets, pages } = orderWrites(plan);
  // One window for assets and pages: what it learnt about the store carries over.
  const window = new WriteWindow({
    initial: options.concurrency,
    max: options.maxConcurrency,
    throttled: () => store.throttled(),
  });
  const result: UploadResult = {
    written: [],
    failed: [],
    notAttempted: [],
    bytesUploaded: 0,
    window: window.report(),
  };
  const totalObjects = assets.length + pages.length;
  const totalBytes = [...assets, ...pages].reduce((sum, write) => sum + sentBytes(write), 0);
  if (totalObjects === 0) return result;

  let done = 0;
  const progress = (): void => {
    const percent =
      totalBytes > 0 ? Math.floor((100 * result.bytesUploaded) / totalBytes) : Math.floor((100 * done) / totalObjects);
    options.log(
      `Uploaded ${done}/${totalObjects} objects, ${formatBytes(result.bytesUploaded)} of ${formatBytes(totalBytes)} (${percent}%)`,
    );
  };
  const timer = setInterval(progress, options.progressIntervalMs ?? 5000);
  timer.unref();

  const writeOne = async (write: PlannedWrite): Promise<void> => {
    if (options.stopBefore?.()) {
      result.notAttempted.push(write);
      done += 1;
      return;
    }
    try {
      const written = write.sourceVersion
        ? await store.copyVersion(write.file.key, write.sourceVersion, write.file.headers)
        : write.reason === 'headers'
          ? await store.copyWithHeaders(write.file)
          : await store.putFile(write.file);
      result.written.push({ write, written });
      result.bytesUploaded += sentBytes(write);
      options.onWritten?.(write);
    } catch (error) {
      result.failed.push({ write, message: errorMessage(error) });
    } finally {
      done += 1;
    }
  };

  try {
    await window.forEach(assets, writeOne);
    if (result.failed.length > 0 || result.notAttempted.length > 0) result.notAttempted.push(...pages);
    else await window.forEach(pages, writeOne);
  } finally {
    clearInterval(timer);
  }
  if (totalObjects > 0 && done > 0) progress();
  result.window = window.report();
  const moved = describeWindow(result.window);
  if (moved) options.log(moved);
  return result;
}

/** One log line when the window moved or the store throttled; nothing when it stayed where it started. */
export function describeWindow(report: WindowReport): string | undefined {
  const { initial, peak, final, throttled, backoffs, cuts } = report;
  if (peak === initial && final === initial && throttled === 0) return undefined;
  const why = [
    throttled > 0
      ? `${throttled} slow-down answer${throttled === 1 ? '' : 's'} from the store (backed off ${backoffs}×)`
      : '',
    cuts > 0 ? `latency rose without more throughput (cut ${cuts}×)` : '',
  ].filter(Boolean);
  return `Writes in flight: started at ${initial}, peaked at ${peak}, ended at ${final}${why.length ? `; ${why.join('; ')}` : ''}.`;
}
