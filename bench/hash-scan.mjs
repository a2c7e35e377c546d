// Child process of bench/run.mjs: times the action's own scan (scanSource from src/scan.ts, compiled by tsc
// into bench/.work/tsc) over a directory, `runs` times, and prints JSON { runsMs, files, bytes }.
//   node24 bench/hash-scan.mjs COMPILED_SCAN_JS DIR [RUNS]
import { pathToFileURL } from 'node:url';

const [scanModule, dir, runsText = '3'] = process.argv.slice(2);
const { scanSource } = await import(pathToFileURL(scanModule).href);
const runs = Math.min(10, Math.max(1, Number(runsText)));
const runsMs = [];
let files = 0;
let bytes = 0;
for (let run = 0; run < runs; run += 1) {
  const started = process.hrtime.bigint();
  // As deploy.ts calls it: no exclusions, no prefix, 8 files at a time.
  const scanned = await scanSource(dir, { exclude: () => false, keyPrefix: '', concurrency: 8 });
  runsMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  files = scanned.length;
  bytes = scanned.reduce((sum, file) => sum + file.size, 0);
}
process.stdout.write(`${JSON.stringify({ runsMs, files, bytes })}\n`);
