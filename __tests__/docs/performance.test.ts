// docs/performance.md and the README quote the committed bench reports: this test fails when a report is
// re-run and the pages still give the old numbers (or a page is edited away from its report).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { smallSiteTable } from '../../bench/lib/small-sites.mjs';
import { throttleSummary } from '../../bench/lib/throttle.mjs';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const page = read('docs/performance.md');
const readme = read('README.md');

interface ScaleRecord {
  files: number;
  variant: string;
  wallS: number;
  runsS: number[];
  cpuS: number;
  peakRssMB: number;
}
const scale = JSON.parse(read('bench/scale.json')) as ScaleRecord[];
const record = (files: number, ranges: boolean) =>
  scale.find((entry) => entry.files === files && entry.variant.startsWith(ranges ? 'key ranges' : 'one listing'))!;

describe('docs/performance.md and the README', () => {
  it("give the million-object run's median wall time and peak memory from bench/scale.json", () => {
    const million = record(1_000_000, true);
    const wall = `${million.wallS.toFixed(1)} s`;
    const rss = `${million.peakRssMB.toFixed(0)} MB`;
    for (const text of [page, readme]) {
      expect(text).toContain(wall);
      expect(text).toContain(rss);
    }
    // The goal's status follows the numbers.
    const met = million.wallS <= 60 && million.peakRssMB <= 1024;
    expect(page).toMatch(met ? /within 60 s and 1 GB[^\n]*\| met/ : /within 60 s and 1 GB[^\n]*\| not met/);
    expect(page).toContain(`${record(1_000_000, false).wallS.toFixed(1)} s`);
    expect(page).toContain(`${record(100_000, true).wallS.toFixed(2)} s`);
    expect(page).toContain(`${record(100_000, false).wallS.toFixed(2)} s`);
  });

  it('give every ratio of bench/small-sites.json, each in its row, and how many meet 0.8', () => {
    const small = JSON.parse(read('bench/small-sites.json')) as { sites: Array<{ id: string; label: string }> };
    const rows = smallSiteTable(small);
    const section = page.slice(page.indexOf('## Every site against tuned peers'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| site |'))).split('\n');
    const order = ['first', 'nochange', 'fresh', 'edit1'];
    for (const row of rows) {
      const label = small.sites.find((site) => site.id === row.site)!.label;
      const line = table.find((text) => text.startsWith(`| ${label} | +${row.latencyMs} ms |`));
      expect(line).toBeDefined();
      // The scenario's column: site, latency, then the four scenarios in order.
      const cells = line!.split('|').map((cell) => cell.trim());
      expect(cells[3 + order.indexOf(row.scenario)]).toContain(row.ratio.toFixed(2));
    }
    const met = rows.filter((row) => row.ratio <= 0.8).length;
    expect(page).toContain(`${met} of ${rows.length} cells`);
    expect(readme).toContain(`${met} of the ${rows.length} cells`);
  });

  it("give the write window's runs against the throttling store from bench/throttle.json", () => {
    const section = page.slice(page.indexOf('## The write window'), page.indexOf('## A million files'));
    for (const entry of throttleSummary(JSON.parse(read('bench/throttle.json')))) {
      const line = section.split('\n').find((text) => text.startsWith(`| ${entry.condition.label} |`));
      expect(line).toBeDefined();
      for (const row of [entry.auto, entry.fixed, entry.before, entry.bestPeer!])
        expect(line).toContain(`${row.wallS.median.toFixed(2)} s`);
      expect(line).toContain(`${entry.ratio!.toFixed(2)}×`);
      expect(line).toContain(`${entry.auto.slowDowns.median.toFixed(0)} SlowDowns`);
      expect(readme).toContain(`${entry.auto.wallS.median.toFixed(2)} s`);
      expect(readme).toContain(`${entry.before.wallS.median.toFixed(2)} s`);
    }
  });

  it('give each goal the status bench/results.json measured for it', () => {
    const results = JSON.parse(read('bench/results.json')) as { goals: Array<{ id: string; status: string }> };
    const section = page.slice(page.indexOf('## The goals of issue #18'), page.indexOf('## The write window'));
    const rowStart: Record<string, string> = {
      speed: '| Every cell at most 0.8×',
      startup: '| Start-up:',
      'cpu-first': "| CPU at most rclone's",
      'cpu-half': '| CPU: half',
      memory: '| Memory:',
      million: '| A no-change deploy of 1,000,000',
      window: '| An in-flight window',
    };
    expect(results.goals.map((goal) => goal.id).sort()).toEqual(Object.keys(rowStart).sort());
    for (const goal of results.goals) {
      const line = section.split('\n').find((text) => text.startsWith(rowStart[goal.id]!));
      expect(line).toBeDefined();
      const status = line!.split('|').map((cell) => cell.trim())[3]!;
      // 'met' and 'not met' as measured; the page may add where (1 GB met; 100 MB and 150 MB not).
      if (goal.status === 'met') expect(status).toMatch(/^met/);
      else if (goal.status === 'not met') expect(status).toMatch(/not met|not$/);
      else expect(status).toBe(goal.status);
    }
  });
});
