import { describe, expect, it, jest } from '@jest/globals';
import type { ObjectHeaders } from '../../src/pipeline/headers.js';
import type { Plan, PlannedWrite, SiteFile } from '../../src/pipeline/plan.js';
import { type ObjectWriter, describeWindow, uploadAll } from '../../src/pipeline/upload.js';
import { formatBytes } from '../../src/shared/text.js';

const HTML: ObjectHeaders = {
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'public, max-age=0, must-revalidate',
};
const PNG: ObjectHeaders = { contentType: 'image/png', cacheControl: 'public, max-age=3600' };

function write(key: string, reason: PlannedWrite['reason'], size = 100): PlannedWrite {
  const file: SiteFile = {
    relativePath: key,
    absolutePath: `/x/${key}`,
    key,
    size,
    md5: 'm',
    headers: key.endsWith('.html') ? HTML : PNG,
  };
  return { file, reason };
}

function planOf(writes: PlannedWrite[]): Plan {
  return {
    uploads: writes.filter((w) => w.reason !== 'headers'),
    headerUpdates: writes.filter((w) => w.reason === 'headers'),
    deletes: [],
    retained: [],
    unchanged: [],
    unchangedEntries: new Map(),
    excludedRemote: 0,
    otherDeployments: [],
    remoteKeys: [],
  };
}

/** Records the order calls start and finish, with a tick of delay so writes overlap. */
class RecordingStore implements ObjectWriter {
  events: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly failing = new Set<string>()) {}
  private async run(kind: string, file: SiteFile): Promise<{ etag: string }> {
    this.events.push(`start ${kind} ${file.key}`);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.inFlight -= 1;
    this.events.push(`end ${kind} ${file.key}`);
    if (this.failing.has(file.key)) throw new Error(`boom ${file.key}`);
    return { etag: `etag-${file.key}` };
  }
  putFile(file: SiteFile) {
    return this.run('put', file);
  }
  copyWithHeaders(file: SiteFile) {
    return this.run('copy', file);
  }
  copyVersion(key: string) {
    return this.run('restore', { key } as SiteFile);
  }
  throttled() {
    return 0;
  }
}

/** Each write waits until the test lets it finish: progress is then a function of the test's steps alone. */
class GatedStore implements ObjectWriter {
  private readonly waiting: Array<() => void> = [];
  private write(file: SiteFile): Promise<{ etag: string }> {
    return new Promise((resolve) => this.waiting.push(() => resolve({ etag: `etag-${file.key}` })));
  }
  /** Lets the oldest write in flight finish. */
  finishOne(): void {
    const finish = this.waiting.shift();
    if (!finish) throw new Error('no write in flight');
    finish();
  }
  putFile(file: SiteFile) {
    return this.write(file);
  }
  copyWithHeaders(file: SiteFile) {
    return this.write(file);
  }
  copyVersion(key: string) {
    return this.write({ key } as SiteFile);
  }
  throttled() {
    return 0;
  }
}

const quiet = { concurrency: 4, maxConcurrency: 4, log: () => undefined };

describe('uploadAll', () => {
  it('finishes every asset before it starts any page', async () => {
    const writes = [
      write('index.html', 'changed'),
      write('a.png', 'new'),
      write('docs/index.html', 'new'),
      write('b.png', 'headers'),
      write('c.png', 'new'),
    ];
    const store = new RecordingStore();
    const result = await uploadAll(store, planOf(writes), quiet);
    const firstPageStart = store.events.findIndex((event) => event.startsWith('start') && event.endsWith('.html'));
    const lastAssetEnd = Math.max(
      ...store.events.map((event, index) => (event.startsWith('end') && event.endsWith('.png') ? index : -1)),
    );
    expect(lastAssetEnd).toBeLessThan(firstPageStart);
    expect(result.written.map((w) => w.write.file.key).sort()).toEqual([
      'a.png',
      'b.png',
      'c.png',
      'docs/index.html',
      'index.html',
    ]);
    expect(result.failed).toEqual([]);
  });

  it('rewrites headers with a copy and uploads the rest, counting only bytes sent', async () => {
    const store = new RecordingStore();
    const result = await uploadAll(
      store,
      planOf([write('a.png', 'new', 1000), write('b.png', 'headers', 5000), write('c.html', 'changed', 300)]),
      quiet,
    );
    expect(store.events.filter((event) => event.startsWith('start'))).toEqual(
      expect.arrayContaining(['start put a.png', 'start copy b.png', 'start put c.html']),
    );
    expect(result.bytesUploaded).toBe(1300);
    expect(result.written.find((w) => w.write.file.key === 'b.png')?.written.etag).toBe('etag-b.png');
  });

  it('holds the pages back when an asset fails, and reports the failure', async () => {
    const store = new RecordingStore(new Set(['b.png']));
    const result = await uploadAll(
      store,
      planOf([write('a.png', 'new'), write('b.png', 'new'), write('index.html', 'changed')]),
      quiet,
    );
    expect(result.failed.map((f) => [f.write.file.key, f.message])).toEqual([['b.png', 'boom b.png']]);
    expect(result.notAttempted.map((w) => w.file.key)).toEqual(['index.html']);
    expect(store.events.some((event) => event.includes('index.html'))).toBe(false);
    expect(result.written.map((w) => w.write.file.key)).toEqual(['a.png']);
  });

  it('reports a failed page without affecting the others', async () => {
    const store = new RecordingStore(new Set(['b.html']));
    const result = await uploadAll(
      store,
      planOf([write('a.html', 'new'), write('b.html', 'new'), write('c.html', 'new')]),
      quiet,
    );
    expect(result.failed.map((f) => f.write.file.key)).toEqual(['b.html']);
    expect(result.written).toHaveLength(2);
  });

  it.each([1, 3, 8])('keeps at most %i requests in flight', async (concurrency) => {
    const store = new RecordingStore();
    const writes = Array.from({ length: 30 }, (_, index) => write(`f${index}.png`, 'new'));
    await uploadAll(store, planOf(writes), { concurrency, maxConcurrency: concurrency, log: () => undefined });
    expect(store.maxInFlight).toBe(concurrency);
  });

  it('logs progress every interval with objects, bytes and percent, and once at the end', async () => {
    // Fake timers: the interval fires when the test advances the clock, never because the machine was slow.
    jest.useFakeTimers();
    try {
      const lines: string[] = [];
      const store = new GatedStore();
      const uploading = uploadAll(
        store,
        planOf([write('a.png', 'new', 1024 * 1024), write('b.png', 'new', 1024 * 1024)]),
        { concurrency: 1, maxConcurrency: 1, log: (line) => lines.push(line), progressIntervalMs: 1000 },
      );
      await jest.advanceTimersByTimeAsync(999);
      expect(lines).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(lines).toEqual(['Uploaded 0/2 objects, 0 B of 2.0 MiB (0%)']);
      store.finishOne(); // a.png
      await jest.advanceTimersByTimeAsync(1000);
      expect(lines).toEqual([
        'Uploaded 0/2 objects, 0 B of 2.0 MiB (0%)',
        'Uploaded 1/2 objects, 1.0 MiB of 2.0 MiB (50%)',
      ]);
      store.finishOne(); // b.png
      await uploading;
      expect(lines).toEqual([
        'Uploaded 0/2 objects, 0 B of 2.0 MiB (0%)',
        'Uploaded 1/2 objects, 1.0 MiB of 2.0 MiB (50%)',
        'Uploaded 2/2 objects, 2.0 MiB of 2.0 MiB (100%)',
      ]);
      // The interval is cleared: no line after the last.
      await jest.advanceTimersByTimeAsync(5000);
      expect(lines).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does nothing for an empty plan', async () => {
    const store = new RecordingStore();
    expect(await uploadAll(store, planOf([]), quiet)).toEqual({
      written: [],
      failed: [],
      notAttempted: [],
      bytesUploaded: 0,
      window: { initial: 4, peak: 4, final: 4, throttled: 0, backoffs: 0, cuts: 0 },
    });
    expect(store.events).toEqual([]);
  });

  it('shrinks the window when the store throttles, says so in the log, and still writes everything', async () => {
    // Every 10th write meets a SlowDown the SDK retried (counted by the store, as the S3 adapter does).
    class ThrottlingStore extends RecordingStore {
      slowDowns = 0;
      override putFile(file: SiteFile) {
        if (this.events.length % 20 === 0) this.slowDowns += 1;
        return super.putFile(file);
      }
      override throttled() {
        return this.slowDowns;
      }
    }
    const store = new ThrottlingStore();
    const writes = Array.from({ length: 200 }, (_, index) => write(`f${index}.png`, 'new'));
    const lines: string[] = [];
    const result = await uploadAll(store, planOf(writes), {
      concurrency: 16,
      maxConcurrency: 16,
      log: (line) => lines.push(line),
    });
    expect(result.written).toHaveLength(200);
    expect(result.window.throttled).toBe(store.slowDowns);
    expect(result.window.backoffs).toBeGreaterThan(0);
    expect(result.window.final).toBeLessThan(16);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^Writes in flight: started at 16, peaked at 16, ended at \\d+; ${store.slowDowns} slow-down answers from the store \\(backed off \\d+×\\)\\.$`,
      ),
    );
  });

  it('says nothing about the window when it stayed where it started', async () => {
    const lines: string[] = [];
    await uploadAll(new RecordingStore(), planOf([write('a.png', 'new')]), {
      ...quiet,
      log: (line) => lines.push(line),
    });
    expect(lines.some((line) => line.startsWith('Writes in flight'))).toBe(false);
  });
});

describe('describeWindow', () => {
  it('names growth, backoffs and cuts', () => {
    expect(describeWindow({ initial: 32, peak: 96, final: 80, throttled: 0, backoffs: 0, cuts: 0 })).toBe(
      'Writes in flight: started at 32, peaked at 96, ended at 80.',
    );
    expect(describeWindow({ initial: 32, peak: 40, final: 12, throttled: 1, backoffs: 1, cuts: 2 })).toBe(
      'Writes in flight: started at 32, peaked at 40, ended at 12; 1 slow-down answer from the store (backed off 1×); latency rose without more throughput (cut 2×).',
    );
    expect(describeWindow({ initial: 8, peak: 8, final: 8, throttled: 0, backoffs: 0, cuts: 0 })).toBeUndefined();
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [31 * 1024 * 1024 + 100 * 1024, '31.1 MiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('%i → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
