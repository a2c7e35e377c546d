// The goals of issue #18, each with what this run measured: the "Goals" section of bench/results.md. The
// numbers come from the phases of one run (small, scaling, coldstart, throttle); the million-file goals from
// the committed bench/scale.json, which only `--scale` writes (minutes of generated files, outside the default
// run). A goal whose phase did not run says so instead of a number.
import { SCENARIO_LABELS as SCENARIO, smallSiteTable } from './small-sites.mjs';
import { throttleSummary } from './throttle.mjs';

/**
 * CPU seconds of this action on the synthetic 5,000-file site on loopback in the run the issue was filed
 * against (bench/results.json at bd35872, 2026-11-24): "half of today's" is half of these.
 */
export const CPU_BASELINE = { commit: 'bd35872', date: '2026-11-24', files: 5000, nochange: 0.85, fresh: 0.89 };

const s = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const mb = (value) => `${s(value, 0)} MB`;

function notRun(id, goal, phase) {
  return { id, goal, measured: `not measured in this run (the \`${phase}\` phase did not run)`, status: '—' };
}

/** Every goal as { id, goal, measured, status } ('met', 'not met', or '—' when its phase did not run). */
export function goalRows(results, { scale } = {}) {
  const rows = [];
  const small = results.small && !results.small.skipped ? smallSiteTable(results.small) : undefined;
  const label = (id) => results.small?.sites.find((site) => site.id === id)?.label ?? id;
  const cell = (site, latencyMs, scenario) =>
    small?.find((row) => row.site === site && row.latencyMs === latencyMs && row.scenario === scenario);

  const speedGoal = 'Every cell at most 0.8× the fastest tuned peer (loopback and +25 ms; every site)';
  if (!small) rows.push(notRun('speed', speedGoal, 'small'));
  else {
    const met = small.filter((row) => row.ratio <= 0.8);
    const sites = [...new Set(small.map((row) => row.site))].map((site) => {
      const own = small.filter((row) => row.site === site);
      const shown = own.map((row) => `${SCENARIO[row.scenario]} +${row.latencyMs}: ${s(row.ratio)}`).join(', ');
      return `${label(site)}: ${shown}`;
    });
    rows.push({
      id: 'speed',
      goal: speedGoal,
      measured: `${met.length} of ${small.length} cells. ${sites.join('; ')}`,
      status: met.length === small.length ? 'met' : 'not met',
    });
  }

  const startGoal = "Start-up: a no-change deploy of ParlAI's website within 0.25 s on loopback (node24)";
  const website = cell('website', 0, 'nochange');
  if (!website) rows.push(notRun('startup', startGoal, 'small'));
  else {
    const action = website.tools.action;
    const cold = results.coldStart
      ? `; spawn to first output ${s(results.coldStart.medianFirstByteMs, 0)} ms (bare node24 ${s(results.coldStart.bareNodeMedianFirstByteMs, 0)} ms)`
      : '';
    rows.push({
      id: 'startup',
      goal: startGoal,
      measured: `${s(action.wallS.median)} s wall [${s(action.wallS.min)}–${s(action.wallS.max)}], ${s(action.cpuS.median)} s CPU, ${mb(action.rssMB.median)}${cold}`,
      status: action.wallS.median <= 0.25 ? 'met' : 'not met',
    });
  }

  const cpuGoal = "CPU: a first upload at most tuned rclone's";
  const firsts = small?.filter((row) => row.scenario === 'first') ?? [];
  if (firsts.length === 0) rows.push(notRun('cpu-first', cpuGoal, 'small'));
  else {
    const worst = Math.max(...firsts.map((row) => row.cpuRatio));
    rows.push({
      id: 'cpu-first',
      goal: cpuGoal,
      measured: `${s(Math.min(...firsts.map((row) => row.cpuRatio)))}–${s(worst)}× tuned rclone's CPU (${firsts.map((row) => `${label(row.site)} +${row.latencyMs}: ${s(row.tools.action.cpuS.median)} s against ${s(row.tools['rclone-tuned'].cpuS.median)} s`).join('; ')})`,
      status: worst <= 1 ? 'met' : 'not met',
    });
  }

  const halfGoal = `CPU: half of ${CPU_BASELINE.date}'s for no change and fresh checkout (synthetic ${CPU_BASELINE.files.toLocaleString('en-US')} files, loopback: ${CPU_BASELINE.nochange} s and ${CPU_BASELINE.fresh} s at ${CPU_BASELINE.commit})`;
  const synthetic = `synthetic-${CPU_BASELINE.files}`;
  const [nochange, fresh] = ['nochange', 'fresh'].map((scenario) => cell(synthetic, 0, scenario));
  if (!nochange || !fresh) rows.push(notRun('cpu-half', halfGoal, 'small'));
  else {
    const [a, b] = [nochange, fresh].map((row) => row.tools.action.cpuS.median);
    rows.push({
      id: 'cpu-half',
      goal: halfGoal,
      measured: `no change ${s(a)} s, fresh checkout ${s(b)} s (goals ${s(CPU_BASELINE.nochange / 2)} s and ${s(CPU_BASELINE.fresh / 2)} s)`,
      status: a <= CPU_BASELINE.nochange / 2 && b <= CPU_BASELINE.fresh / 2 ? 'met' : 'not met',
    });
  }

  const memoryGoal = 'Memory: peak RSS ≤ 100 MB at 2,000 files, ≤ 150 MB at 50,000, ≤ 1 GB at 1,000,000';
  const at2k = small?.filter((row) => row.site === 'synthetic-2000') ?? [];
  const peak2k = at2k.length ? Math.max(...at2k.map((row) => row.tools.action.rssMB.max)) : undefined;
  const fiftyK = (results.scaling?.runs ?? []).filter((run) => run.files === 50_000);
  const peak50k = fiftyK.length ? Math.max(...fiftyK.map((run) => run.peakRssMB)) : undefined;
  const million = scale?.find((record) => record.files === 1_000_000 && record.variant.startsWith('key ranges'));
  const parts = [
    peak2k === undefined ? '2,000: not measured' : `2,000: ${mb(peak2k)} (largest of the synthetic 2,000-file runs)`,
    peak50k === undefined
      ? '50,000: not measured (the `scaling` phase did not run)'
      : `50,000: ${mb(peak50k)} (scaling phase)`,
    million ? `1,000,000: ${mb(million.peakRssMB)} (bench/scale.json)` : '1,000,000: not measured',
  ];
  const memoryMet = peak2k !== undefined && peak2k <= 100 && peak50k !== undefined && peak50k <= 150;
  rows.push({
    id: 'memory',
    goal: memoryGoal,
    measured: parts.join('; '),
    status: memoryMet && million && million.peakRssMB <= 1024 ? 'met' : 'not met',
  });

  const millionGoal = 'A no-change deploy of 1,000,000 objects within 60 s and 1 GB at 25 ms a request';
  if (!million)
    rows.push({ id: 'million', goal: millionGoal, measured: 'bench/scale.json has no such run', status: '—' });
  else {
    const one = scale.find((record) => record.files === 1_000_000 && record.variant.startsWith('one listing'));
    rows.push({
      id: 'million',
      goal: millionGoal,
      measured: `${s(million.wallS, 1)} s (runs ${million.runsS.map((run) => s(run, 1)).join(', ')}), ${s(million.cpuS, 1)} s CPU, ${mb(million.peakRssMB)}; one listing instead of key ranges: ${one ? `${s(one.wallS, 1)} s` : 'not run'} (bench/scale.json, written by \`--scale\`)`,
      status: million.wallS <= 60 && million.peakRssMB <= 1024 ? 'met' : 'not met',
    });
  }

  const windowGoal = 'An in-flight window that grows and backs off on SlowDown, against a throttling stand-in';
  if (!results.throttle) rows.push(notRun('window', windowGoal, 'throttle'));
  else {
    const measured = throttleSummary(results.throttle).map(({ condition, auto, fixed, before, bestPeer, ratio }) => {
      const peer = bestPeer
        ? `; fastest peer that never failed ${bestPeer.label} ${s(bestPeer.wallS.median)} s (${s(ratio)}×)`
        : '';
      return `${condition.label}: auto ${s(auto.wallS.median)} s (${s(auto.slowDowns.median, 0)} SlowDowns), 32 ${s(fixed.wallS.median)} s, before the window ${s(before.wallS.median)} s${peer}`;
    });
    rows.push({ id: 'window', goal: windowGoal, measured: measured.join('. '), status: 'built and measured' });
  }
  return rows;
}

export function goalsMarkdown(rows) {
  return [
    '## The goals of issue #18',
    '',
    'What this run measured against each goal; [docs/performance.md](../docs/performance.md) says what bounds the ones not met, with the profiles below. Details: [small-sites.md](small-sites.md) (every site against tuned peers), [throttle.md](throttle.md), [scale.md](scale.md).',
    '',
    '| goal | measured | status |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.goal} | ${row.measured} | ${row.status === 'met' ? '**met**' : row.status} |`),
    '',
  ];
}
