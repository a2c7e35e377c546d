// The `parlai` phase of `npm run bench`: time and peak memory of the ParlAI preset's build
// (presets/parlai/build-site.sh, the whole site without torch) from the source fixture, clean and incremental.
//
// Each round: a clean build (CLEAN=1: website/build and docs/build removed first, as on a fresh CI runner), then
// an incremental one (nothing changed; Sphinx reuses docs/build's doctrees). Wall seconds, CPU seconds (user +
// system of the script and everything it ran) and peak RSS (the largest single process: sphinx-build) come from
// GNU time. The report shows the median of the rounds and every run; the per-step times come from the script's
// own log. Skipped, with the reason, where the Debian packages or the fixtures are absent (.ci/parlai-deps.sh
// installs the packages).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PARLAI_PYTHON,
  checkParlaiBuild,
  prepareParlaiCheckout,
  runBuildSite,
} from '../../__tests__/support/parlai-build.mjs';
import { median } from './measure.mjs';

const STEPS = [
  ['generate', /website: generate\.py/],
  ['scripts', /docs: the seven generate_\*\.py scripts/],
  ['sphinx', /docs: sphinx-build/],
  ['postprocess', /postprocess_docs\.py/],
];

/** Per-step seconds from build-site.sh's `== build-site.sh: <step>` / `== build-site.sh: ... N s` lines. */
export function stepSeconds(log) {
  const steps = {};
  let current;
  for (const line of log.split('\n')) {
    const match = /^== build-site\.sh: (.*)$/.exec(line);
    if (!match) continue;
    const done = /^\.\.\. (\d+) s$/.exec(match[1]);
    if (done && current) steps[current] = Number(done[1]);
    else current = STEPS.find(([, pattern]) => pattern.test(match[1]))?.[0];
  }
  return steps;
}

function versions() {
  const probe = spawnSync(
    PARLAI_PYTHON,
    [
      '-c',
      'import sys, sphinx, myst_parser, sphinx_rtd_theme, docutils\n' +
        'print(f"Python {sys.version.split()[0]}, Sphinx {sphinx.__version__}, myst-parser {myst_parser.__version__}, ' +
        'sphinx-rtd-theme {sphinx_rtd_theme.__version__}, docutils {docutils.__version__}")',
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return probe.stdout.trim() || probe.stderr.trim();
}

/**
 * Runs the phase in `work` (removed afterwards). Resolves to the results (or { skipped: reason }); `log` prints
 * progress lines.
 */
export async function benchParlaiBuild({ work, log = console.log, rounds = 3 } = {}) {
  const reason = checkParlaiBuild({ needTime: true });
  if (reason) {
    log(`parlai: skipped: ${reason}`);
    return { skipped: reason };
  }
  const directory = path.join(work, 'parlai');
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  try {
    const { checkout, pythonPath } = prepareParlaiCheckout(directory);
    const results = { rounds, python: PARLAI_PYTHON, versions: versions(), cores: os.cpus().length, runs: [] };
    for (let round = 0; round < rounds; round += 1) {
      for (const kind of ['clean', 'incremental']) {
        // The machine may be shared: its load when the run starts explains a wall time far above the CPU time.
        const load = os.loadavg()[0];
        const run = await runBuildSite(checkout, {
          pythonPath,
          env: kind === 'clean' ? { CLEAN: '1' } : {},
          logFile: path.join(directory, `build-${kind}-${round}.log`),
        });
        if (run.code !== 0)
          throw new Error(`build-site.sh (${kind}, round ${round}) failed (${run.code}):\n${run.log.slice(-4000)}`);
        const files = Number(/built (\d+) files/.exec(run.log)?.[1] ?? NaN);
        const record = {
          kind,
          round,
          wallS: run.wallS,
          cpuS: run.cpuS,
          peakRssMB: run.rssKb / 1024,
          files,
          load,
          steps: stepSeconds(run.log),
        };
        results.runs.push(record);
        log(
          `parlai: ${kind} build ${round + 1}/${rounds}: ${record.wallS.toFixed(1)} s wall, ${record.cpuS.toFixed(1)} s CPU, ${record.peakRssMB.toFixed(0)} MB peak RSS, ${files} files`,
        );
      }
    }
    for (const kind of ['clean', 'incremental']) {
      const runs = results.runs.filter((run) => run.kind === kind);
      results[kind] = {
        medianWallS: median(runs.map((run) => run.wallS)),
        medianCpuS: median(runs.map((run) => run.cpuS)),
        medianPeakRssMB: median(runs.map((run) => run.peakRssMB)),
        maxPeakRssMB: Math.max(...runs.map((run) => run.peakRssMB)),
        medianSphinxS: median(runs.map((run) => run.steps.sphinx ?? NaN)),
      };
    }
    return results;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** The section of bench/results.md (also written alone to bench/parlai-build.md by `--phases parlai`). */
export function parlaiMarkdown(parlai) {
  if (!parlai) return [];
  const lines = ['## ParlAI preset build (presets/parlai/build-site.sh, the whole site without torch)', ''];
  if (parlai.skipped) return [...lines, `Skipped: ${parlai.skipped}.`, ''];
  lines.push(
    `From \`../shared/fixtures/parlai-source.tar.gz\` (ParlAI a29567f7), \`PYTHON=${parlai.python}\`: ${parlai.versions}, Debian 12's packages standing in for \`presets/parlai/requirements.txt\`. ${parlai.rounds} rounds of a clean build (\`CLEAN=1\`) then an incremental one (no change; Sphinx reuses its doctrees). GNU time: CPU = user + system of everything the script ran; peak RSS = the largest single process (sphinx-build). ${parlai.cores} cores; the build is mostly single-threaded, so on an idle machine wall ≈ CPU, and a wall time far above the CPU time means other processes had the cores (the load average at the start of each run is in the last table).`,
    '',
    '| build | wall s (median) | CPU s (median) | peak RSS MB (median / max) | sphinx-build s (median) |',
    '|---|---:|---:|---:|---:|',
  );
  for (const kind of ['clean', 'incremental']) {
    const summary = parlai[kind];
    lines.push(
      `| ${kind} | **${fmt(summary.medianWallS)}** | ${fmt(summary.medianCpuS)} | ${fmt(summary.medianPeakRssMB, 0)} / ${fmt(summary.maxPeakRssMB, 0)} | ${fmt(summary.medianSphinxS, 0)} |`,
    );
  }
  lines.push(
    '',
    'Every run:',
    '',
    '| build | round | wall s | CPU s | peak RSS MB | files | load at start | steps (s) |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const run of parlai.runs) {
    const steps = Object.entries(run.steps)
      .map(([name, seconds]) => `${name} ${seconds}`)
      .join(', ');
    lines.push(
      `| ${run.kind} | ${run.round + 1} | ${fmt(run.wallS)} | ${fmt(run.cpuS)} | ${fmt(run.peakRssMB, 0)} | ${run.files} | ${fmt(run.load, 1)} | ${steps} |`,
    );
  }
  lines.push('');
  return lines;
}

export function writeParlaiReport(parlai, file, { date, command }) {
  const text = [
    '# Benchmark: the ParlAI preset build',
    '',
    `Generated by \`${command}\` on ${date} — do not edit by hand.`,
    '',
    ...parlaiMarkdown(parlai),
  ].join('\n');
  writeFileSync(file, `${text}\n`);
}
