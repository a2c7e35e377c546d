// Times the site check (src/pipeline/site-check.ts, compiled by tsc into bench/.work/tsc-site-check, as
// bench/run.mjs does for the scan) over the whole ParlAI site with its Sphinx docs
// (../shared/fixtures/parlai-site-full.tar.gz, unpacked into a temp folder that is removed afterwards).
//   node bench/site-check.mjs [RUNS]        (default 5; runs on Node 24 from tools/node24 where it exists)
// Prints the median wall and CPU milliseconds of one check, the peak RSS of the measuring process, and the
// pages, references and broken targets found. The measuring child is this file again, with --measure.
import { tscArguments } from './lib/compile.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH, '..');

function listFiles(root, directory = root) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return listFiles(root, full);
    return entry.isFile()
      ? [{ relativePath: path.relative(root, full).split(path.sep).join('/'), absolutePath: full }]
      : [];
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(compiledDir, site, runs) {
  const { checkSite, siteFiles } = await import(pathToFileURL(path.join(compiledDir, 'pipeline/site-check.js')).href);
  const wallMs = [];
  const cpuMs = [];
  let result;
  for (let run = 0; run < runs; run += 1) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    // As the deploy would call it: the scan's files, their headers, then the check (it reads the pages).
    const files = siteFiles(listFiles(site), { cacheControl: [], contentType: [] });
    result = checkSite({ files, prefix: '' });
    wallMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  const broken = result.broken.filter((entry) => entry.kind !== 'outside-prefix').length;
  process.stdout.write(
    `${JSON.stringify({
      node: process.version,
      runs,
      wallMs,
      cpuMs,
      medianWallMs: median(wallMs),
      medianCpuMs: median(cpuMs),
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      pages: result.pages,
      references: result.references,
      broken,
      outside: result.broken.length - broken,
      octetStream: result.octetStream,
    })}\n`,
  );
}

async function main() {
  const runs = Math.min(20, Math.max(1, Number(process.argv[2] ?? '5')));
  const fixture =
    process.env.PARLAI_SITE_FULL_FIXTURE ?? path.resolve(REPO, '../shared/fixtures/parlai-site-full.tar.gz');
  if (!existsSync(fixture)) {
    console.log(`skipped: the fixture ${fixture} is not on this machine`);
    return;
  }
  const compiledDir = path.join(BENCH, '.work', 'tsc-site-check');
  rmSync(compiledDir, { recursive: true, force: true });
  execFileSync(
    path.join(REPO, 'node_modules/.bin/tsc'),
    tscArguments(REPO, compiledDir, 'src/pipeline/site-check.ts'),
    { cwd: REPO, stdio: 'inherit', timeout: 120_000 },
  );
  let node = process.execPath;
  try {
    const { ensureNode24 } = await import('../tools/node24/ensure.mjs');
    node = ensureNode24() ?? node;
  } catch (error) {
    console.log(`Node 24 unavailable (${error.message}); measuring on ${process.version}`);
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'site-check-bench-'));
  try {
    execFileSync('tar', ['-xzf', fixture, '-C', work], { timeout: 60_000 });
    const child = spawnSync(
      node,
      [fileURLToPath(import.meta.url), '--measure', compiledDir, path.join(work, 'site-build'), String(runs)],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    if (child.status !== 0) throw new Error(`the measuring process failed:\n${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop());
    const fmt = (ms) => ms.toFixed(1);
    console.log(
      `site check of the ParlAI site with its docs (${path.basename(fixture)}), ${os.cpus().length} cores, Node ${result.node}`,
    );
    console.log(`  runs            ${result.wallMs.map(fmt).join(', ')} ms wall`);
    console.log(`  median wall     ${fmt(result.medianWallMs)} ms`);
    console.log(`  median CPU      ${fmt(result.medianCpuMs)} ms`);
    console.log(`  peak RSS        ${result.peakRssMB.toFixed(1)} MB`);
    console.log(`  pages           ${result.pages}`);
    console.log(`  references      ${result.references}`);
    console.log(`  broken          ${result.broken} (outside this deploy: ${result.outside})`);
    console.log(`  octet-stream    ${result.octetStream.join(', ') || 'none'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  await main();
}
