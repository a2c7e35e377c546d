// The `throttle` phase of `npm run bench` (issue #18): the write window against a store that throttles. A
// first upload of a generated site through the counting proxy in front of s3rver, under conditions the
// proxy sets: a round trip added to every request, and a budget of writes (PutObject, UploadPart,
// CopyObject) per 100 ms beyond which it answers 503 SlowDown a round trip later, as S3 does past about
// 3,500 PUTs a second per prefix. Tools: this action at `concurrency: auto` and at a fixed 32, the release
// before the window (a fixed 32 and the SDK's adaptive retries only: its dist/ from git), and both peers at
// their defaults and tuned. Per run: wall, CPU, peak RSS, writes a second, SlowDowns met, and where the
// action's window went (its log line). Writes bench/throttle.md and bench/throttle.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startLocalS3 } from '../../examples/local-s3-server.mjs';
import { startS3Proxy } from '../../__tests__/support/s3-proxy.mjs';
import { generateSite } from '../generate-site.mjs';
import { median, spread } from './measure.mjs';
import { adminClient, makeTools } from './tools.mjs';

/** The commit whose dist/ is the "before" row: the last one with a fixed window. */
export const BEFORE_WINDOW = '1d17b74';

export const THROTTLE_TOOLS = {
  auto: { tool: 'action', label: 'parlai-site-deploy, `concurrency: auto` (the default)' },
  fixed: { tool: 'action', label: 'parlai-site-deploy, `concurrency: 32`', concurrency: 32 },
  before: {
    tool: 'before',
    label: `parlai-site-deploy before the window (${BEFORE_WINDOW}: a fixed 32)`,
    concurrency: 32,
  },
  aws: { tool: 'aws', label: 'aws s3 sync (defaults: 10 requests)' },
  'aws-tuned': { tool: 'aws', label: 'aws s3 sync, max_concurrent_requests 32', tuned: true },
  rclone: { tool: 'rclone', label: 'rclone sync --fast-list (defaults: 4 transfers)' },
  'rclone-tuned': { tool: 'rclone', label: 'rclone sync --fast-list --transfers 32 --checkers 32', tuned: true },
};

export const THROTTLE_CONDITIONS = [
  { id: 'throttled', latencyMs: 25, writesPerSecond: 200, label: '25 ms a request, 200 writes a second' },
  { id: 'far', latencyMs: 100, writesPerSecond: 0, label: '100 ms a request, no write limit' },
];

const WRITES = new Set(['PutObject', 'UploadPart', 'CopyObject']);

/** The "before" build: that commit's dist/ and action.yml, from git (no checkout is touched). */
function beforeBuild(repo, into) {
  if (existsSync(path.join(into, 'dist/index.js'))) return into;
  mkdirSync(into, { recursive: true });
  const archive = spawnSync('git', ['-C', repo, 'archive', BEFORE_WINDOW, 'dist', 'action.yml'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive ${BEFORE_WINDOW}: ${archive.stderr}`);
  spawnSync('tar', ['-x', '-C', into], { input: archive.stdout });
  return into;
}

/** The action's own account of its window, from its log. */
function windowOf(logFile) {
  const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const match = /Writes in flight: started at (\d+), peaked at (\d+), ended at (\d+)/.exec(text);
  return match ? { initial: Number(match[1]), peak: Number(match[2]), final: Number(match[3]) } : undefined;
}

export async function benchThrottle({ repo, node24, work, files = 2000, rounds = 3, conditions, log }) {
  mkdirSync(work, { recursive: true });
  const site = path.join(work, 'site');
  const generated = await generateSite(site, { files, seed: 7 });
  const before = beforeBuild(repo, path.join(work, 'before'));
  const server = await startLocalS3({ buckets: [], directory: path.join(work, 's3') });
  let condition = conditions[0];
  // Writes accepted per 100 ms slot; the proxy decides as each request arrives.
  const accepted = new Map();
  const proxy = await startS3Proxy({
    target: server.endpoint,
    fault: (request) => {
      const delayMs = condition.latencyMs;
      if (condition.writesPerSecond > 0 && WRITES.has(request.operation)) {
        const slot = Math.floor(performance.now() / 100);
        const taken = accepted.get(slot) ?? 0;
        if (taken >= condition.writesPerSecond / 10) return { status: 503, code: 'SlowDown', delayMs };
        accepted.set(slot, taken + 1);
        accepted.delete(slot - 2);
      }
      return delayMs > 0 ? { delayMs } : undefined;
    },
  });
  const admin = adminClient(server.endpoint);
  const tools = makeTools({ repo, node24, work, endpoint: proxy.endpoint });
  const previous = makeTools({ repo: before, node24, work, endpoint: proxy.endpoint });
  const runners = { action: tools.action, before: previous.action, aws: tools.aws, rclone: tools.rclone };
  const runs = [];
  let bucketCount = 0;
  try {
    for (condition of conditions) {
      for (let round = 0; round < rounds; round += 1) {
        const ids = Object.keys(THROTTLE_TOOLS);
        for (const id of round % 2 ? ids.reverse() : ids) {
          const { tool, tuned, concurrency } = THROTTLE_TOOLS[id];
          bucketCount += 1;
          const bucket = `throttle-${bucketCount}`;
          await admin.send(new CreateBucketCommand({ Bucket: bucket }));
          const logFile = path.join(work, `${condition.id}-${id}-r${round}.log`);
          proxy.reset();
          const result = await runners[tool](site, bucket, { logFile, tuned, concurrency, timeoutMs: 15 * 60_000 });
          const slowDowns = proxy.requests.filter((request) => request.injected === 'SlowDown').length;
          const writes = proxy.requests.filter((request) => WRITES.has(request.operation)).length - slowDowns;
          runs.push({
            condition: condition.id,
            tool: id,
            round,
            code: result.code,
            wallS: result.wallS,
            cpuS: result.userS + result.sysS,
            rssMB: result.rssKb / 1024,
            writes,
            slowDowns,
            // The action logs its window only when it moved; the release before the window never does.
            window:
              tool === 'action'
                ? (windowOf(logFile) ?? {
                    initial: concurrency ?? 32,
                    peak: concurrency ?? 32,
                    final: concurrency ?? 32,
                  })
                : undefined,
          });
        }
        log(`throttle: ${condition.id}, round ${round + 1}/${rounds}`);
      }
    }
  } finally {
    admin.destroy();
    await proxy.close();
    await server.stop();
    rmSync(site, { recursive: true, force: true });
  }
  return { files: generated.files ?? files, bytes: generated.bytes, rounds, conditions, runs };
}

/** Medians per condition and tool. */
export function throttleTable(result) {
  return result.conditions.map((condition) => ({
    condition,
    rows: Object.entries(THROTTLE_TOOLS).map(([id, { label }]) => {
      const runs = result.runs.filter((run) => run.condition === condition.id && run.tool === id);
      const windows = runs.map((run) => run.window).filter(Boolean);
      return {
        id,
        label,
        failed: runs.filter((run) => run.code !== 0).length,
        wallS: spread(runs.map((run) => run.wallS)),
        cpuS: spread(runs.map((run) => run.cpuS)),
        rssMB: spread(runs.map((run) => run.rssMB)),
        writesPerS: median(runs.map((run) => run.writes / run.wallS)),
        slowDowns: spread(runs.map((run) => run.slowDowns)),
        peak: windows.length ? median(windows.map((window) => window.peak)) : undefined,
        final: windows.length ? median(windows.map((window) => window.final)) : undefined,
      };
    }),
  }));
}

/**
 * Per condition: the action's rows and the fastest peer (at its defaults or tuned) whose every run
 * succeeded, with the ratio of `concurrency: auto`'s median wall time to that peer's. A peer that failed
 * a run (aws s3 sync at 32 requests, out of retries under SlowDown) is not the one to beat.
 */
export function throttleSummary(result) {
  return throttleTable(result).map(({ condition, rows }) => {
    const row = (id) => rows.find((candidate) => candidate.id === id);
    const peers = rows.filter((candidate) => /^(aws|rclone)/.test(candidate.id) && candidate.failed === 0);
    const bestPeer = [...peers].sort((a, b) => a.wallS.median - b.wallS.median)[0];
    return {
      condition,
      auto: row('auto'),
      fixed: row('fixed'),
      before: row('before'),
      bestPeer,
      ratio: bestPeer ? row('auto').wallS.median / bestPeer.wallS.median : undefined,
    };
  });
}

const fmt = (value, digits = 2) => (value === undefined ? '—' : value.toFixed(digits));

export function throttleMarkdown(result, { date, command, machine, versions }) {
  const lines = [
    '# The write window against a throttling store (issue #18)',
    '',
    `Generated by \`${command}\` on ${date} (${machine}; ${versions}).`,
    '',
    `A first upload of a generated site (${result.files.toLocaleString('en')} files, ${(result.bytes / 1e6).toFixed(1)} MB, [bench/generate-site.mjs](generate-site.mjs), seed 7) through the counting proxy in front of s3rver ([bench/lib/throttle.mjs](lib/throttle.mjs)). The proxy adds a round trip to every request and, where a write limit is set, answers writes (PutObject, UploadPart, CopyObject) beyond that many a second (counted per 100 ms) with \`503 SlowDown\` a round trip later. ${result.rounds} rounds, each on a fresh bucket, every other one in reverse order; medians with the range. *Writes/s* counts accepted writes over the run's wall time (list, manifest and start-up included). *Window* is the action's log line: its peak and where it ended.`,
    '',
  ];
  for (const { condition, rows } of throttleTable(result)) {
    lines.push(
      `## ${condition.label}`,
      '',
      '| tool | wall s (range) | CPU s | peak RSS MB | writes/s | SlowDowns (range) | window peak → end | failed runs |',
      '|---|---:|---:|---:|---:|---:|---|---:|',
    );
    for (const row of rows) {
      lines.push(
        `| ${row.label} | ${fmt(row.wallS.median)} (${fmt(row.wallS.min)}–${fmt(row.wallS.max)}) | ${fmt(row.cpuS.median)} | ${fmt(row.rssMB.median, 0)} | ${fmt(row.writesPerS, 0)} | ${fmt(row.slowDowns.median, 0)} (${fmt(row.slowDowns.min, 0)}–${fmt(row.slowDowns.max, 0)}) | ${row.peak === undefined ? '—' : `${fmt(row.peak, 0)} → ${fmt(row.final, 0)}`} | ${row.failed} |`,
      );
    }
    const summary = throttleSummary(result).find((entry) => entry.condition.id === condition.id);
    lines.push(
      '',
      `\`concurrency: auto\` against the fastest peer that never failed (${summary.bestPeer?.label ?? 'none'}): **${fmt(summary.ratio)}×** the wall time.`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
