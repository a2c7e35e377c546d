// The `small` phase of `npm run bench`: this action against both peers at their defaults and tuned, on every
// site issue #18 names. ParlAI's real sites, where start-up dominates — the website (168 files) and the whole
// site with its docs (367 files), from ../shared/fixtures — and the synthetic sites of bench/generate-site.mjs
// (2,000 and 5,000 files). Scenarios: first upload, no-change redeploy, fresh checkout (every mtime set to
// now, same bytes), 1% of files edited; on loopback and with 25 ms added to every request (per site); median
// of the site's rounds with its range, CPU seconds and peak RSS. Writes bench/small-sites.md and .json
// (bench/results.md is left to the other phases).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startLocalS3 } from '../../examples/local-s3-server.mjs';
import { startS3Proxy } from '../../__tests__/support/s3-proxy.mjs';
import { editFiles, generateSite } from '../generate-site.mjs';
import { nextSecond, spread } from './measure.mjs';
import { adminClient, makeTools } from './tools.mjs';

export const SMALL_SCENARIOS = ['first', 'nochange', 'fresh', 'edit1'];
export const SCENARIO_LABELS = {
  first: 'first upload',
  nochange: 'no change',
  fresh: 'fresh checkout',
  edit1: '1% edited',
};
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
export function extract(fixture, into) {
  mkdirSync(into, { recursive: true });
  spawnSync('tar', ['-xzf', fixture, '-C', into], { timeout: 60_000 });
  const [only] = readdirSync(into);
  return path.join(into, only);
}

/**
 * `sites`: `{ id, label, file }` (a fixture archive) or `{ id, label, generate: { files, seed } }`, each with
 * optional `latencies` and `rounds` of its own (else the phase's).
 */
export async function benchSmallSites({ repo, node24, work, fixtures, rounds = 3, latencies = [0, 25], log }) {
  const sites = fixtures.filter((fixture) => fixture.generate || existsSync(fixture.file));
  const missing = fixtures.filter((fixture) => !sites.includes(fixture));
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
      const into = path.join(work, `fixture-${fixture.id}`);
      let pristine = into;
      if (fixture.generate) await generateSite(into, fixture.generate);
      else pristine = extract(fixture.file, into);
      const files = filesUnder(pristine).length;
      const siteRounds = fixture.rounds ?? rounds;
      for (const latency of fixture.latencies ?? latencies) {
        latencyMs = latency;
        for (let round = 0; round < siteRounds; round += 1) {
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
                // Else an upload within that second lists as older than the files, and aws re-sends them next.
                await nextSecond();
              }
              if (scenario === 'edit1') editFiles(site, filesUnder(site));
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
          log(`small sites: ${fixture.id} +${latency} ms, round ${round + 1}/${siteRounds}`);
        }
      }
    }
  } finally {
    admin.destroy();
    await proxy.close();
    await server.stop();
  }
  return {
    rounds,
    latencies,
    sites: sites.map(({ id, label, latencies: own, rounds: siteRounds }) => ({
      id,
      label,
      latencies: own ?? latencies,
      rounds: siteRounds ?? rounds,
    })),
    ...(missing.length > 0 ? { missing: missing.map(({ id, file }) => `${id} (${file})`) } : {}),
    runs,
  };
}

const cell = (runs, key) => spread(runs.map((run) => run[key]));

/** Medians per site, latency, scenario and tool, and the action's ratio to the fastest tuned peer. */
export function smallSiteTable(result) {
  const rows = [];
  for (const site of result.sites) {
    for (const latencyMs of site.latencies ?? result.latencies) {
      for (const scenario of SMALL_SCENARIOS) {
        const of = (tool) =>
          result.runs.filter(
            (run) =>
              run.site === site.id && run.latencyMs === latencyMs && run.scenario === scenario && run.tool === tool,
          );
        if (of('action').length === 0) continue;
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
          cpuRatio: tools.action.cpuS.median / tools['rclone-tuned'].cpuS.median,
        });
      }
    }
  }
  return rows;
}

function roundsText(result) {
  const counts = [...new Set(result.sites.map((site) => site.rounds ?? result.rounds))];
  if (counts.length === 1) return `${counts[0]} rounds`;
  return result.sites.map((site) => `${site.rounds ?? result.rounds} rounds on ${site.label}`).join(', ');
}

export function smallSitesMarkdown(result, { date, command, machine, versions }) {
  if (result.skipped) return `# Small sites\n\nSkipped: ${result.skipped}\n`;
  const rows = smallSiteTable(result);
  const s = (value) => value.toFixed(2);
  const lines = [
    "# This action against tuned peers: ParlAI's sites and the synthetic ones",
    '',
    `Measured ${date} with \`${command}\` on ${machine}; s3rver on 127.0.0.1 behind the counting proxy, which adds`,
    'the given latency to every request. Median of',
    `${roundsText(result)} (every other one in reverse tool order), range in brackets; CPU is user + system seconds of`,
    "the whole process tree, RSS its peak (GNU time). Ratio: this action's wall time over the fastest tuned peer's",
    "(goal: at most 0.8); CPU ratio: this action's CPU over tuned rclone's (goal for a first upload: at most 1).",
    'Scenarios: first upload to an empty bucket, no-change redeploy, fresh checkout (every mtime set to now, same',
    'bytes), 1% of files edited (a comment appended; bench/generate-site.mjs `editFiles`).',
    '',
    `Peers: ${versions}.`,
    ...(result.missing ? ['', `Not measured (fixture missing): ${result.missing.join(', ')}.`] : []),
    '',
    '| site | latency | scenario | action wall (CPU, RSS) | aws | aws tuned | rclone | rclone tuned | ratio | CPU ratio |',
    '|---|---:|---|---|---|---|---|---|---:|---:|',
  ];
  for (const row of rows) {
    const label = result.sites.find((site) => site.id === row.site).label;
    const tool = (id) => {
      const t = row.tools[id];
      return `${s(t.wallS.median)} s [${s(t.wallS.min)}–${s(t.wallS.max)}] (${s(t.cpuS.median)} s, ${t.rssMB.median.toFixed(0)} MB)`;
    };
    lines.push(
      `| ${label} | +${row.latencyMs} ms | ${SCENARIO_LABELS[row.scenario]} | ${tool('action')} | ${tool('aws')} | ${tool('aws-tuned')} | ${tool('rclone')} | ${tool('rclone-tuned')} | ${row.ratio.toFixed(2)}${row.ratio <= 0.8 ? ' ✓' : ''} | ${row.cpuRatio.toFixed(2)} |`,
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
