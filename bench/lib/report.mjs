// Writes bench/results.json (raw numbers), bench/results.md (tables, targets) and bench/chart.svg (grouped bars
// of wall time per scenario per tool, hand-written SVG) from one run's results.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONCURRENCY, TOOL_DEFAULTS, TOOL_LABELS } from './tools.mjs';
import { parlaiMarkdown } from './parlai-build.mjs';
import { goalRows, goalsMarkdown } from './goals.mjs';

const TOOLS = ['action', 'aws', 'rclone'];
const SCENARIOS = ['first', 'nochange', 'fresh', 'edit1'];
const SCENARIO_TITLES = {
  first: 'First upload (empty bucket)',
  nochange: 'No-change redeploy',
  fresh: 'Fresh checkout (every mtime set to now, same bytes)',
  edit1: '1% of files edited',
};
const SCENARIO_SHORT = { first: 'first upload', nochange: 'no change', fresh: 'fresh checkout', edit1: '1% edited' };
const COLORS = { action: '#d9534f', aws: '#f0ad4e', rclone: '#5b8dd9' };
const SHORT = { action: 'this action', aws: 'aws s3 sync', rclone: 'rclone sync' };

const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const mb = (bytes) => (Number.isFinite(bytes) ? (bytes / 1e6).toFixed(1) : 'n/a');
const pass = (ok) => (ok === undefined ? '—' : ok ? '**pass**' : '**FAIL**');

function requestList(requests) {
  return Object.entries(requests ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
}

const medianOf = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** One tool's scenario over the rounds: the first round's counts, the median of the times, the largest RSS. */
function runOf(results, tool, scenario) {
  const runs = (results.compare?.runs ?? []).filter((run) => run.tool === tool && run.scenario === scenario);
  if (runs.length === 0) return undefined;
  const mean = (pick) => medianOf(runs.map(pick));
  const sameCounts = runs.every((run) => JSON.stringify(run.requests) === JSON.stringify(runs[0].requests));
  return {
    ...runs[0],
    wallS: mean((run) => run.wallS),
    walls: runs.map((run) => run.wallS),
    toolCpuS: mean((run) => run.toolCpuS),
    s3rverCpuS: mean((run) => run.s3rverCpuS),
    peakRssMB: Math.max(...runs.map((run) => run.peakRssMB)),
    sameCounts,
  };
}

/** Per scenario: our wall time over the faster peer's. */
export function ratios(results) {
  const out = {};
  for (const scenario of SCENARIOS) {
    const ours = runOf(results, 'action', scenario);
    const peers = ['aws', 'rclone'].map((tool) => runOf(results, tool, scenario)).filter(Boolean);
    if (!ours || peers.length === 0) continue;
    const faster = peers.sort((a, b) => a.wallS - b.wallS)[0];
    out[scenario] = { ours: ours.wallS, peer: faster.tool, peerWallS: faster.wallS, ratio: ours.wallS / faster.wallS };
  }
  return out;
}

export function evaluateTargets(results) {
  const targets = [];
  const ratio = ratios(results);
  for (const scenario of SCENARIOS) {
    if (!ratio[scenario]) continue;
    const { ours, peer, peerWallS, ratio: value } = ratio[scenario];
    targets.push({
      id: `speed-${scenario}`,
      target: `${SCENARIO_SHORT[scenario]}: at least as fast as the faster peer`,
      measured: `${fmt(ours)} s vs ${SHORT[peer]} ${fmt(peerWallS)} s (ratio ${fmt(value)})`,
      ok: value <= 1,
    });
  }
  const files = results.compare?.files;
  for (const scenario of ['nochange', 'fresh']) {
    const run = runOf(results, 'action', scenario);
    if (!run) continue;
    const lists = run.requests.ListObjectsV2 ?? 0;
    const gets = run.requests.GetObject ?? 0;
    // The listing holds the site and the deploy manifest; the key ranges split it into whole pages.
    const pages = Math.ceil((files + 1) / 1000);
    const others = run.totalRequests - lists - gets;
    targets.push({
      id: `writes-${scenario}`,
      target: `${SCENARIO_SHORT[scenario]}: 0 writes, the manifest's included`,
      measured: `${run.contentWrites} object writes, ${run.manifestWrites} manifest PutObject, ${run.probeWrites ?? 0} probe`,
      ok: run.contentWrites === 0 && run.manifestWrites === 0 && !run.probeWrites,
    });
    targets.push({
      id: `requests-${scenario}`,
      target: `${SCENARIO_SHORT[scenario]}: ⌈(N+1)/1000⌉ = ${pages} ListObjectsV2 pages (N files and the manifest, listed in key ranges) + 1 GetObject (the manifest), nothing else`,
      measured: `${lists} ListObjectsV2, ${gets} GetObject, ${others} other (${requestList(run.requests)})`,
      ok: lists === pages && gets === 1 && others === 0,
    });
  }
  const edit = runOf(results, 'action', 'edit1');
  if (edit?.editCheck) {
    const { expected, written, missing, extra } = edit.editCheck;
    targets.push({
      id: 'writes-edit1',
      target:
        "1% edited: exactly the edited objects written, plus the release protocol's two manifest writes (claim, publish) and, on a store that ignores conditional writes (s3rver), its probe",
      measured: `${written} objects written for ${expected} edited (${missing} missing, ${extra} extra), ${edit.manifestWrites} manifest PutObject, ${edit.probeWrites ?? 0} probe`,
      ok: missing === 0 && extra === 0 && edit.manifestWrites === 2 && (edit.probeWrites ?? 0) <= 1,
    });
  }
  if (results.hash) {
    targets.push({
      id: 'hash',
      target: 'hashing throughput ≥ 70% of md5sum',
      measured: `${fmt(results.hash.scanMBps, 0)} MB/s vs ${fmt(results.hash.md5sumMBps, 0)} MB/s (${fmt(100 * results.hash.ratio, 0)}%) over ${int(results.hash.files)} files`,
      ok: results.hash.ratio >= 0.7,
    });
  }
  if (results.scaling?.runs.length) {
    const largest = Math.max(...results.scaling.runs.map((run) => run.files));
    const peak = Math.max(...results.scaling.runs.filter((run) => run.files === largest).map((run) => run.peakRssMB));
    targets.push({
      id: 'rss',
      target: `peak RSS < 150 MB at 50k files${largest !== 50_000 ? ` (this run's largest: ${int(largest)})` : ''}`,
      measured: `${fmt(peak, 0)} MB at ${int(largest)} files`,
      ok: peak < 150,
    });
  }
  if (results.coldStart) {
    targets.push({
      id: 'coldstart',
      target: 'cold start (spawn to first stdout byte) < 300 ms',
      measured: `median ${fmt(results.coldStart.medianFirstByteMs, 0)} ms (bare node24: ${fmt(results.coldStart.bareNodeMedianFirstByteMs, 0)} ms)`,
      ok: results.coldStart.medianFirstByteMs < 300,
    });
  }
  return targets;
}

// ------------------------------------------------------------------------------------------------ SVG chart
function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function chartSvg(results) {
  const width = 860;
  const height = 440;
  const margin = { top: 64, right: 24, bottom: 72, left: 64 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const runs = results.compare?.runs ?? [];
  const maxWall = niceMax(Math.max(0, ...runs.map((run) => run.wallS)));
  const y = (value) => margin.top + plotHeight - (value / maxWall) * plotHeight;
  const groupWidth = plotWidth / SCENARIOS.length;
  const barWidth = Math.min(56, (groupWidth * 0.8) / TOOLS.length);
  const parts = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Wall time per scenario, ${escapeXml(int(results.compare?.files))} files (${escapeXml(mb(results.compare?.bytes))} MB), lower is better</text>`,
    `<text x="${width / 2}" y="42" text-anchor="middle" fill="#555">${escapeXml(`s3rver ${results.versions?.s3rver ?? ''} on 127.0.0.1 behind a counting proxy · ${results.versions?.machine?.nproc ?? '?'} cores · ${results.date.slice(0, 10)}`)}</text>`,
  );
  // Grid and axis.
  for (let index = 0; index <= 5; index += 1) {
    const value = (maxWall * index) / 5;
    const lineY = y(value);
    parts.push(
      `<line x1="${margin.left}" y1="${lineY.toFixed(1)}" x2="${width - margin.right}" y2="${lineY.toFixed(1)}" stroke="${index === 0 ? '#333' : '#e3e3e3'}"/>`,
      `<text x="${margin.left - 8}" y="${(lineY + 4).toFixed(1)}" text-anchor="end" fill="#333">${escapeXml(Number(value.toFixed(2)))}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#333">wall time (s)</text>`,
  );
  // Bars.
  SCENARIOS.forEach((scenario, groupIndex) => {
    const groupX = margin.left + groupIndex * groupWidth;
    const barsWidth = barWidth * TOOLS.length;
    TOOLS.forEach((tool, toolIndex) => {
      const run = runOf(results, tool, scenario);
      if (!run) return;
      const x = groupX + (groupWidth - barsWidth) / 2 + toolIndex * barWidth;
      const top = y(run.wallS);
      const barHeight = Math.max(1, margin.top + plotHeight - top);
      parts.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${(margin.top + plotHeight - barHeight).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${COLORS[tool]}"><title>${escapeXml(`${SHORT[tool]}, ${SCENARIO_SHORT[scenario]}: ${fmt(run.wallS)} s, ${run.writes} writes`)}</title></rect>`,
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(margin.top + plotHeight - barHeight - 5).toFixed(1)}" text-anchor="middle" font-size="11" fill="#222">${escapeXml(fmt(run.wallS, run.wallS < 10 ? 2 : 1))}</text>`,
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(margin.top + plotHeight + 14).toFixed(1)}" text-anchor="middle" font-size="9" fill="#666">${escapeXml(`${int(run.writes)} w`)}</text>`,
      );
    });
    parts.push(
      `<text x="${(groupX + groupWidth / 2).toFixed(1)}" y="${margin.top + plotHeight + 32}" text-anchor="middle" font-size="13" fill="#222">${escapeXml(SCENARIO_SHORT[scenario])}</text>`,
    );
  });
  // Legend.
  const legendY = height - 18;
  TOOLS.forEach((tool, index) => {
    const x = margin.left + index * 200;
    parts.push(
      `<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${COLORS[tool]}"/>`,
      `<text x="${x + 18}" y="${legendY}" fill="#222">${escapeXml(SHORT[tool])}</text>`,
    );
  });
  parts.push(
    `<text x="${width - margin.right}" y="${legendY}" text-anchor="end" font-size="10" fill="#666">"N w" under a bar: objects written</text>`,
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------------ Markdown
function scenarioTable(results, scenario) {
  const lines = [
    '| tool | wall s (median) | runs s | vs faster peer | objects written | requests by type | bytes sent (MB) | peak RSS (MB) | tool CPU s | s3rver CPU s |',
    '|---|---:|---|---:|---:|---|---:|---:|---:|---:|',
  ];
  const ratio = ratios(results)[scenario];
  for (const tool of TOOLS) {
    const run = runOf(results, tool, scenario);
    if (!run) continue;
    const versus = tool === 'action' && ratio ? `${fmt(ratio.ratio)}× ${SHORT[ratio.peer]}` : '';
    const written = tool === 'action' ? `${int(run.writes)} (${int(run.manifestWrites)} manifest)` : int(run.writes);
    lines.push(
      `| ${SHORT[tool]} | ${fmt(run.wallS)} | ${run.walls.map((wall) => fmt(wall)).join(', ')} | ${versus} | ${written} | ${requestList(run.requests)}${run.sameCounts ? '' : ' (round 1; other rounds differ, see results.json)'} | ${mb(run.bytesSent)} | ${fmt(run.peakRssMB, 0)} | ${fmt(run.toolCpuS, 1)} | ${fmt(run.s3rverCpuS, 1)} |`,
    );
  }
  return lines;
}

/** `results.goals` as writeReport sets them (goals.mjs). */
export function resultsMarkdown(results) {
  const v = results.versions ?? {};
  const machine = v.machine ?? {};
  const lines = [];
  lines.push(
    '# Benchmark: parlai-site-deploy vs aws s3 sync vs rclone sync',
    '',
    `Generated by \`bench/run.mjs\` on ${results.date} (commit ${results.versions?.commit ?? '?'}${results.versions?.uncommitted?.length ? ` with uncommitted changes to ${results.versions.uncommitted.join(', ')}` : ''}; dist/index.js sha256 ${results.versions?.distSha256 ?? '?'}) — do not edit by hand. Reproduce with:`,
    '',
    '```sh',
    results.command,
    '```',
    '',
    `(\`npm run bench\` is \`npm run bundle && node bench/run.mjs\`; extra options go after \`--\`. This run${results.config.quick ? ' used `--quick`' : ''} ran the phases ${results.phasesRun.map((phase) => `\`${phase}\``).join(', ') || 'none'}${results.complete ? '' : ' — **incomplete**, see the error at the end'}.)`,
    '',
    '## Setup',
    '',
    `- Machine: ${machine.nproc} cores (\`nproc\`), ${machine.cpu}, ${machine.ramGiB} GiB RAM, Linux ${machine.kernel}.`,
    `- Node (the action, as \`runs.using: node24\`): ${v.node24}; the harness and s3rver: ${v.harnessNode}.`,
    `- ${v.awscli} (\`/usr/bin/aws\`, Debian); ${v.rclone} (\`/usr/bin/rclone\`, Debian); s3rver ${v.s3rver}; ${v.md5sum}.`,
    '- One S3 server (s3rver, filesystem-backed, one Node process) on 127.0.0.1; every tool talks to it through the counting proxy of `__tests__/support/s3-proxy.mjs` (in the harness process). Each tool has its own bucket and its own copy of the site (generated by `bench/generate-site.mjs`, seed 42: the same bytes for every tool and every run).',
    `- Tools as their users run them: ${TOOLS.map((tool) => `**${TOOL_LABELS[tool]}** (${TOOL_DEFAULTS[tool]})`).join('; ')}. Each gets a clean environment (no \`AWS_CA_BUNDLE\`, credentials S3RVER/S3RVER).`,
    '',
    'Definitions:',
    '',
    `- **wall s**: from spawning the tool to its exit; the median of ${results.config.compareRounds ?? 1} round(s) (each round: every tool on a fresh bucket, the order of the tools reversed between rounds). Peak RSS is the largest of the rounds; counts are the first round's (the others are checked to be equal).`,
    '- Before each run the harness waits for the next wall-clock second: S3 (and s3rver) list LastModified to the second, and `aws s3 sync` re-uploads a file whose mtime is newer, so a file written in the second of its own upload would be re-sent on the next sync. Real deploys never happen within a second of the build; the wait is outside the timed region and the same for every tool.',
    '- **objects written**: PutObject + CopyObject + CompleteMultipartUpload — one per object version created (a multipart upload counts once, by its CompleteMultipartUpload; its CreateMultipartUpload and UploadPart requests are listed under requests). For the action the deploy manifest PutObject is included and shown in brackets. Deletes are not writes here (none of the scenarios deletes).',
    '- **requests by type**: every request the proxy saw, by S3 operation (rclone uses ListObjects v1 with `provider = Other`).',
    '- **bytes sent**: request body bytes received by the proxy (uploads; headers not counted).',
    '- **peak RSS**: `/usr/bin/time -f %M` around the tool process (for the action, the node24 process).',
    '- **tool CPU s** / **s3rver CPU s**: user + system CPU of the tool (GNU time) and of the s3rver process (/proc) during the run — how much of the 2 cores each side used.',
    '',
  );

  lines.push(...goalsMarkdown(results.goals ?? []));

  if (results.compare) {
    const { compare } = results;
    lines.push(
      `## Tool comparison: ${int(compare.files)} files, ${mb(compare.bytes)} MB`,
      '',
      '![wall time per scenario per tool](chart.svg)',
      '',
    );
    lines.push(
      'Headline (wall seconds / objects written):',
      '',
      `| scenario | ${TOOLS.map((tool) => SHORT[tool]).join(' | ')} | ours vs faster peer |`,
      `|---|${TOOLS.map(() => '---:').join('|')}|---:|`,
    );
    const ratio = ratios(results);
    for (const scenario of SCENARIOS) {
      const cells = TOOLS.map((tool) => {
        const run = runOf(results, tool, scenario);
        return run ? `${fmt(run.wallS)} s / ${int(run.writes)}` : 'n/a';
      });
      lines.push(
        `| ${SCENARIO_SHORT[scenario]} | ${cells.join(' | ')} | ${ratio[scenario] ? `${fmt(ratio[scenario].ratio)}× (${SHORT[ratio[scenario].peer]})` : 'n/a'} |`,
      );
    }
    lines.push('', 'A ratio below 1 means this action was faster than the faster of the two peers.', '');
    for (const scenario of SCENARIOS) {
      lines.push(`### ${SCENARIO_TITLES[scenario]}`, '', ...scenarioTable(results, scenario), '');
      if (scenario === 'edit1') {
        const checks = TOOLS.map((tool) => runOf(results, tool, scenario))
          .filter((run) => run?.editCheck)
          .map(
            (run) =>
              `${SHORT[run.tool]}: ${run.editCheck.written} written / ${run.editCheck.expected} edited (${run.editCheck.missing} missing, ${run.editCheck.extra} extra)`,
          );
        lines.push(
          `${compare.edited.length} files edited (1%, chosen with a seeded PRNG among files up to 1 MiB; a line appended, so size and mtime change too). ${checks.join('; ')}.`,
          '',
        );
      }
    }
    const failedVerify = compare.runs.filter((run) => run.verify && !run.verify.ok);
    lines.push(
      failedVerify.length === 0
        ? 'After every run the bucket was checked against the site (through s3rver directly, not counted): same keys, same sizes, and ETag = MD5 for every single-part object — all passed.'
        : `Bucket check after the run FAILED for: ${failedVerify.map((run) => `${run.label} (${run.verify.problemCount}: ${run.verify.problems.join('; ')})`).join(' · ')}`,
      '',
    );
  }

  const targets = evaluateTargets(results);
  if (targets.length > 0) {
    lines.push('## Checks of the tool comparison', '', '| check | measured | result |', '|---|---|---|');
    for (const target of targets)
      lines.push(
        `| ${target.target} | ${target.measured}${target.note ? `. ${target.note}` : ''} | ${pass(target.ok)} |`,
      );
    lines.push('');
    lines.push(
      'Manifest writes: when anything changes, the release protocol writes the deploy manifest twice — its claim on the prefix before the first object, the publish after the last — and first probes once whether the store honours conditional writes (a PUT that must fail; s3rver ignores the condition, so there the probe object is written and deleted again). A no-change or fresh-checkout redeploy whose manifest records nothing new makes no write at all.',
      '',
    );
  }

  if (results.scaling) {
    lines.push(
      '## Scaling (this action only)',
      '',
      '| files | MB | first upload s | no-change s | first: peak RSS MB | no-change: peak RSS MB | first: requests | no-change: requests | no-change: s3rver CPU s |',
      '|---:|---:|---:|---:|---:|---:|---|---|---:|',
    );
    const sizes = [...new Set(results.scaling.runs.map((run) => run.files))];
    for (const files of sizes) {
      const first = results.scaling.runs.find((run) => run.files === files && run.scenario === 'first');
      const again = results.scaling.runs.find((run) => run.files === files && run.scenario === 'nochange');
      lines.push(
        `| ${int(files)} | ${mb(first?.bytes)} | ${fmt(first?.wallS)} | ${fmt(again?.wallS)} | ${fmt(first?.peakRssMB, 0)} | ${fmt(again?.peakRssMB, 0)} | ${requestList(first?.requests)} | ${requestList(again?.requests)} | ${fmt(again?.s3rverCpuS, 1)} |`,
      );
    }
    lines.push('');
  }

  for (const sweep of results.sweeps ?? []) {
    lines.push(
      `## Concurrency sweep: the action's first upload, ${int(sweep.files)} files (${mb(sweep.bytes)} MB), ${sweep.latencyMs ? `${sweep.latencyMs} ms added to every request` : 'loopback'}`,
      '',
      `${sweep.rounds} round(s), each run on a fresh bucket; every other round runs the settings in reverse order so that drift in the server does not favour one setting. The median decides.${sweep.latencyMs ? ` The proxy holds every request ${sweep.latencyMs} ms before forwarding it: a runner's round trip to S3 in its region, which the loopback lacks and which parallel requests hide.` : ' On loopback there is no network round trip: the single-process s3rver is the bottleneck, so the settings are close.'}`,
      '',
      '| concurrency | median wall s | runs (s) |',
      '|---:|---:|---|',
    );
    for (const row of sweep.byConcurrency)
      lines.push(
        `| ${row.concurrency}${row.concurrency === sweep.fastest ? ' (fastest)' : ''} | ${fmt(row.medianWallS)} | ${row.walls.map((wall) => fmt(wall)).join(', ')} |`,
      );
    const chosen = sweep.byConcurrency.find((row) => row.concurrency === DEFAULT_CONCURRENCY);
    const best = sweep.byConcurrency.find((row) => row.concurrency === sweep.fastest);
    lines.push(
      '',
      `The default (action.yml) is ${DEFAULT_CONCURRENCY}. Here the fastest was **${sweep.fastest}**${sweep.fastest === DEFAULT_CONCURRENCY || !chosen ? '' : `; ${DEFAULT_CONCURRENCY} took ${fmt(chosen.medianWallS)} s against ${fmt(best?.medianWallS)} s (${fmt((100 * (chosen.medianWallS - best.medianWallS)) / best.medianWallS, 0)}% slower)`}.`,
      '',
    );
  }

  if (results.hash) {
    const { hash } = results;
    lines.push(
      `## Hashing throughput: ${int(hash.files)} files, ${mb(hash.bytes)} MB, warm page cache, best of 3`,
      '',
      '| hasher | best s | MB/s | runs (ms) |',
      '|---|---:|---:|---|',
      `| action's \`scanSource\` (src/scan.ts compiled by tsc, node24, concurrency 8 as deploy.ts calls it) | ${fmt(Math.min(...hash.scanRunsMs) / 1000, 3)} | ${fmt(hash.scanMBps, 0)} | ${hash.scanRunsMs.map((ms) => fmt(ms, 0)).join(', ')} |`,
      `| \`find -print0 \\| xargs -0 md5sum\` (one process) | ${fmt(Math.min(...hash.md5sumRunsMs) / 1000, 3)} | ${fmt(hash.md5sumMBps, 0)} | ${hash.md5sumRunsMs.map((ms) => fmt(ms, 0)).join(', ')} |`,
      '',
      `Ratio: ${fmt(100 * hash.ratio, 0)}% of md5sum (target ≥ 70%).`,
      '',
    );
  }

  if (results.coldStart) {
    const cold = results.coldStart;
    lines.push(
      '## Cold start',
      '',
      `\`node24 dist/index.js\` (${mb(cold.bundleBytes)} MB bundle), spawn to first stdout byte, median of ${cold.runs}: **${fmt(cold.medianFirstByteMs, 0)} ms** (runs: ${cold.firstByteMs.map((ms) => fmt(ms, 0)).join(', ')}); to exit: ${fmt(cold.medianExitMs, 0)} ms. Bare \`node24 -e\` to first byte: ${fmt(cold.bareNodeMedianFirstByteMs, 0)} ms, so loading the bundle costs about ${fmt(cold.medianFirstByteMs - cold.bareNodeMedianFirstByteMs, 0)} ms. (Inputs point at a missing \`source-dir\`, so the run makes no request; the first byte is the \`::add-mask::\` line written right after the bundle has loaded.)`,
      '',
    );
  }

  if (results.profile) {
    lines.push(`## CPU profile of the action (${int(results.profile.files)} files, node24 --cpu-prof)`, '');
    for (const run of results.profile.runs) {
      if (!run.summary) continue;
      lines.push(
        `### ${run.scenario === 'first' ? 'First upload' : 'No-change redeploy'}: ${fmt(run.wallS)} s wall under the profiler, ${fmt(run.toolCpuS, 1)} s CPU, ${fmt(run.summary.totalMs / 1000, 2)} s sampled`,
        '',
        `Idle (waiting on the network or the thread pool): ${fmt(run.summary.idleMs, 0)} ms (${fmt((100 * run.summary.idleMs) / run.summary.totalMs, 0)}% of the samples); busy: ${fmt(run.summary.busyMs, 0)} ms. Top functions by self time, as a share of the busy time (bundle frames mapped to their source through dist/index.js.map):`,
        '',
        '| # | function | where | self ms | share of busy |',
        '|---:|---|---|---:|---:|',
      );
      run.summary.functions
        .filter((entry) => entry.name !== '(idle)')
        .slice(0, 15)
        .forEach((entry, index) => {
          lines.push(
            `| ${index + 1} | \`${entry.name}\` | ${entry.file ? `\`${entry.file}\`` : entry.group} | ${fmt(entry.selfMs, 0)} | ${fmt((100 * entry.selfMs) / run.summary.busyMs, 1)}% |`,
          );
        });
      lines.push('', 'Busy self time by origin:', '', '| origin | self ms | share of busy |', '|---|---:|---:|');
      for (const group of run.summary.groups.filter((entry) => entry.group !== '(idle)').slice(0, 12)) {
        lines.push(
          `| ${group.group} | ${fmt(group.selfMs, 0)} | ${fmt((100 * group.selfMs) / run.summary.busyMs, 1)}% |`,
        );
      }
      lines.push('');
    }
  }

  lines.push(...parlaiMarkdown(results.parlai));
  lines.push(...readingNotes(results));
  if (results.notes?.length) lines.push('## Notes', '', ...results.notes.map((note) => `- ${note}`), '');
  if (results.error) lines.push('## Error', '', '```', results.error, '```', '');
  return `${lines.join('\n')}\n`;
}

/** How fair the comparison is, with this run's numbers where they exist. */
function readingNotes(results) {
  const lines = ['## Reading the numbers (what the test server does to them)', ''];
  const share = (run) => (run && run.wallS > 0 ? `${fmt((100 * run.s3rverCpuS) / run.wallS, 0)}%` : 'n/a');
  const first = Object.fromEntries(TOOLS.map((tool) => [tool, runOf(results, tool, 'first')]));
  if (results.compare) {
    lines.push(
      `- **One single-threaded server for everyone.** s3rver is one Node process writing every object and its metadata to disk; during the first uploads it was busy ${TOOLS.map((tool) => `${share(first[tool])} of the wall time for ${SHORT[tool]}`).join(', ')} (s3rver CPU / wall), and the counting proxy runs in the harness on the same 2 cores. Uploads are server-bound for all three tools, so first-upload times rank per-request overhead (requests per object, client CPU competing with the server for the 2 cores), not bandwidth. The tools and the server were run identically and in alternating order over the rounds; the spread between rounds is in the "runs" column.`,
      `- **aws s3 sync is CPU-bound in Python**: its CPU time is ${fmt(first.aws?.toolCpuS, 1)} s for a ${fmt(first.aws?.wallS, 1)} s first upload, and it competes with s3rver for the second core.`,
      `- **rclone reads each object's mtime with a HEAD** (it keeps mtimes in metadata, which listings do not return), also right after every upload to check it: ${int(runOf(results, 'rclone', 'nochange')?.requests?.HeadObject)} HEADs on a no-change redeploy. On s3rver a HEAD costs about as much server CPU as a small PUT; on AWS they would be cheaper but still one round trip each. On a fresh checkout the MD5s match, so rclone only rewrites metadata (CopyObject, no bytes sent) — ${int(runOf(results, 'rclone', 'fresh')?.requests?.CopyObject)} copies.`,
    );
  }
  const fiftyK = results.scaling?.runs.find((run) => run.scenario === 'nochange' && run.files >= 50_000);
  lines.push(
    `- **s3rver lists slowly at scale**: every ListObjectsV2 page walks the bucket's directory tree again from the root (a stat per entry, skipping only directories wholly before the start key) and reads one metadata file per key, so a listing costs s3rver CPU that grows faster than N${fiftyK ? ` — ${fmt(fiftyK.s3rverCpuS, 1)} s of s3rver CPU for the ${int(fiftyK.requests?.ListObjectsV2)} pages of the ${int(fiftyK.files)}-file no-change redeploy` : ''}. AWS S3 answers a 1,000-key page in tens of milliseconds; real no-change redeploys of large sites will be faster than here.`,
    "- **s3rver lists keys in directory-walk order, not S3's byte order**: a directory `foo/` is listed before its siblings `foo-2.html` and `foo.html`, where S3 puts it after them. `aws s3 sync --delete` merges the local and the remote listings assuming both are in S3's order, so on s3rver it uploads *and deletes* such files on every run and can leave them missing (aws-cli #6845 describes the same with other S3-compatible servers); and a page that ends inside `foo/` makes s3rver skip `foo.html` on the next page (seen as one key missing from a 50k listing while this benchmark was developed). Neither happens on AWS S3, so `bench/generate-site.mjs` names directories with `_` and files with `-`, and checks that no file name starts with a sibling directory's name followed by a character below `/`. Sites with `foo.html` beside `foo/` are common; a benchmark against s3rver must not contain them.",
    "- **s3rver decodes `x-amz-copy-source` with `decodeURI`**, which leaves `%2B` (`+`), `%3D` (`=`) and `%26` (`&`) encoded: a server-side copy of such a key fails with NoSuchKey (rclone's fresh-checkout metadata update failed on `a+b=c.html` until the generator stopped making such names). The action's header-only updates would hit the same server bug; AWS decodes correctly.",
    '- Before each comparison run the harness waits for the next wall-clock second (see Definitions), for every tool alike.',
    '',
  );
  return lines;
}

export function writeReport(results, benchDir) {
  results.targets = evaluateTargets(results);
  // The million-file goals come from the committed report of `--scale`, which the default run leaves alone.
  const scaleFile = path.join(benchDir, 'scale.json');
  const scale = existsSync(scaleFile) ? JSON.parse(readFileSync(scaleFile, 'utf8')) : undefined;
  results.goals = goalRows(results, { scale });
  const files = [path.join(benchDir, 'results.json'), path.join(benchDir, 'results.md')];
  writeFileSync(files[0], `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(files[1], resultsMarkdown(results));
  if (results.compare?.runs.length) {
    files.push(path.join(benchDir, 'chart.svg'));
    writeFileSync(files[2], chartSvg(results));
  }
  return files;
}
