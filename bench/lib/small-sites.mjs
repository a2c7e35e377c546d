// The `small` phase of `npm run bench`: ParlAI's real sites, where start-up dominates. For the website (168
// files) and the whole site with its docs (367 files), from ../shared/fixtures: first upload, no-change
// redeploy and fresh checkout (every mtime set to now, same bytes), on loopback and with 25 ms added to every
// request, for this action and both peers at their defaults and tuned; median of `rounds` with its range, CPU
// seconds and peak RSS. Writes bench/small-sites.md (bench/results.md is left to the other phases).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startLocalS3 } from '../../examples/local-s3-server.mjs';
import { startS3Proxy } from '../../__tests__/support/s3-proxy.mjs';
import { spread } from './measure.mjs';
import { adminClient, makeTools } from './tools.mjs';

export const SMALL_SCENARIOS = ['first', 'nochange', 'fresh'];
/** The tools: this action, then each peer at its defaults and tuned as issue #18 asks. */
export const SMALL_TOOLS = {
  action: { tool: 'action', label: 'parlai-site-deploy (defaults)' },
  aws: { tool: 'aws', label: 'aws s3 sync (defaults: 10 requests)' },
  'aws-tuned': { tool: 'aws', label: 'aws s3 sync, max_concurrent_requests 32', tuned: true },
  rclone: { tool: 'rclone', label: 'rclone sync --fast-list (defaults: 4 transfers, 8 checkers)' },
  'rclone-tuned': { tool: 'rclone', label: 'rclone sync --fast-list --transfers 32 --checkers 32', tuned: true },
};

function filesUnder(directory, base = directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  });
}

/** Extracts a fixture and gives the one folder it holds. */
function extract(fixture, into) {
  mkdirSync(into, { recursive: true });
  spawnSync('tar', ['-xzf', fixture, '-C', into], { timeout: 60_000 });
  const [only] = readdirSync(into);
  return path.join(into, only);
}

export async function benchSmallSites({ repo, node24, work, fixtures, rounds = 3, latencies = [0, 25], log }) {
  const sites = fixtures.filter((fixture) => existsSync(fixture.file));
  if (sites.length === 0)
    return { skipped: `none of the fixtures is there (${fixtures.map((f) => f.file).join(', ')})` };
  mkdirSync(work, { recursive: true });
  const server = await startLocalS3({ buckets: [], directory: path.join(work, 's3') });
  let latencyMs = 0;
  const proxy = await startS3Proxy({
    target: server.endpoint,
    fault: () => (latencyMs > 0 ? { delayMs: latencyMs } : undefined),
  });
  const admin = adminClient(server.endpoint);
  const tools = makeTools({ repo, node24, work, endpoint: proxy.endpoint });
  const runs = [];
  let bucketCount = 0;
  try {
    for (const fixture of sites) {
      const pristine = extract(fixture.file, path.join(work, `fixture-${fixture.id}`));
      const files = filesUnder(pristine).length;
      for (const latency of latencies) {
        latencyMs = latency;
        for (let round = 0; round < rounds; round += 1) {
          // Every other round in reverse order, so no tool always runs first on a warm machine.
          const ids = Object.keys(SMALL_TOOLS);
          for (const id of round % 2 ? ids.reverse() : ids) {
            const { tool, tuned } = SMALL_TOOLS[id];
            bucketCount += 1;
            const bucket = `small-${bucketCount}`;
            await admin.send(new CreateBucketCommand({ Bucket: bucket }));
            const site = path.join(work, `site-${bucketCount}`);
            spawnSync('cp', ['-a', pristine, site]);
            for (const scenario of SMALL_SCENARIOS) {
              if (scenario === 'fresh') {
                const now = new Date();
                for (const file of filesUnder(site)) utimesSync(path.join(site, file), now, now);
              }
              const logFile = path.join(work, `${fixture.id}-${latency}-${id}-${scenario}-r${round}.log`);
              const result = await tools[tool](site, bucket, { logFile, tuned });
              if (result.code !== 0) throw new Error(`${id} ${scenario} on ${fixture.id} failed: see ${logFile}`);
              runs.push({
                site: fixture.id,
                files,
                latencyMs: latency,
                tool: id,
                scenario,
                round,
                wallS: result.wallS,
                cpuS: result.userS + result.sysS,
                rssMB: result.rssKb / 1024,
              });
            }
          }
          log(`small sites: ${fixture.id} +${latency} ms, round ${round + 1}/${rounds}`);
        }
      }
    }
  } finally {
    admin.destroy();
    await proxy.close();
    await server.stop();
  }
  return { rounds, latencies, sites: sites.map(({ id, label }) => ({ id, label })), runs };
}

const cell = (runs, key) => spread(runs.map((run) => run[key]));

/** Medians per site, latency, scenario and tool, and the action's ratio to the fastest tuned peer. */
export function smallSiteTable(result) {
  const rows = [];
  for (const site of result.sites) {
    for (const latencyMs of result.latencies) {
      for (const scenario of SMALL_SCENARIOS) {
        const of = (tool) =>
          result.runs.filter(
            (run) =>
              run.site === site.id && run.latencyMs === latencyMs && run.scenario === scenario && run.tool === tool,
          );
        const tools = Object.fromEntries(
          Object.keys(SMALL_TOOLS).map((tool) => [
            tool,
            { wallS: cell(of(tool), 'wallS'), cpuS: cell(of(tool), 'cpuS'), rssMB: cell(of(tool), 'rssMB') },
          ]),
        );
        const tunedPeers = Object.keys(SMALL_TOOLS).filter((tool) => SMALL_TOOLS[tool].tuned);
        const fastest = tunedPeers.reduce((a, b) => (tools[a].wallS.median <= tools[b].wallS.median ? a : b));
        rows.push({
          site: site.id,
          latencyMs,
          scenario,
          tools,
          fastestTuned: fastest,
          ratio: tools.action.wallS.median / tools[fastest].wallS.median,
        });
      }
    }
  }
  return rows;
}

export function smallSitesMarkdown(result, { date, command, machine, versions }) {
  if (result.skipped) return `# Small sites\n\nSkipped: ${result.skipped}\n`;
  const rows = smallSiteTable(result);
  const s = (value) => value.toFixed(2);
  const lines = [
    "# ParlAI's sites: this action against tuned peers, where start-up counts",
    '',
    `Measured ${date} with \`${command}\` on ${machine}; s3rver on 127.0.0.1 behind the counting proxy, which adds`,
    'the given latency to every request. Median of',
    `${result.rounds} rounds (every other one in reverse tool order), range in brackets; CPU is user + system seconds of`,
    "the whole process tree, RSS its peak (GNU time). Ratio: this action's wall time over the fastest tuned peer's",
    '(goal: at most 0.8).',
    '',
    `Peers: ${versions}.`,
    '',
    '| site | latency | scenario | action wall (CPU, RSS) | aws | aws tuned | rclone | rclone tuned | ratio |',
    '|---|---:|---|---|---|---|---|---|---:|',
  ];
  for (const row of rows) {
    const label = result.sites.find((site) => site.id === row.site).label;
    const tool = (id) => {
      const t = row.tools[id];
      return `${s(t.wallS.median)} s [${s(t.wallS.min)}–${s(t.wallS.max)}] (${s(t.cpuS.median)} s, ${t.rssMB.median.toFixed(0)} MB)`;
    };
    lines.push(
      `| ${label} | +${row.latencyMs} ms | ${row.scenario} | ${tool('action')} | ${tool('aws')} | ${tool('aws-tuned')} | ${tool('rclone')} | ${tool('rclone-tuned')} | ${row.ratio.toFixed(2)}${row.ratio <= 0.8 ? ' ✓' : ''} |`,
    );
  }
  const met = rows.filter((row) => row.ratio <= 0.8).length;
  lines.push('', `${met} of ${rows.length} cells meet the 0.8 goal.`, '');
  return `${lines.join('\n')}\n`;
}

/** Writes the report and the raw runs (bench/small-sites.json). */
export function writeSmallSites(result, benchDir, meta) {
  writeFileSync(path.join(benchDir, 'small-sites.md'), smallSitesMarkdown(result, meta));
  writeFileSync(path.join(benchDir, 'small-sites.json'), `${JSON.stringify({ ...meta, ...result }, null, 2)}\n`);
}
