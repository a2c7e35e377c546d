// The million-object phase of the bench (issue #18, `npm run bench -- --scale`): a no-change deploy of a
// generated tree of N files against the listing stand-in (listing-standin.mjs), which holds the matching
// listing and the deploy manifest a previous deploy of that tree would have left, and adds `delayMs` to
// every request. Run twice per round: with the action's default concurrency (the listing in key ranges
// side by side) and with `concurrency: 1` (one range: the flat listing of before).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tscArguments } from './compile.mjs';
import { startListingStandin } from './listing-standin.mjs';
import { makeTools } from './tools.mjs';

const MANIFEST_NAME = '.parlai-site-deploy.json.gz';
/** What the stand-in lists as every object's LastModified, and the manifest records. */
const LISTED_AT = '2026-01-01T00:00:00.000Z';
const PER_DIRECTORY = 1000;

const pathOf = (index) =>
  `d${String(Math.floor(index / PER_DIRECTORY)).padStart(4, '0')}/f${String(index).padStart(7, '0')}.txt`;
const contentOf = (index) => `file ${index}\n`;

/** The generated tree of `count` small files (kept in bench/.work between runs: writing a million takes a while). */
export function ensureTree(directory, count, log) {
  const marker = path.join(directory, '..', `${path.basename(directory)}.complete`);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(count)) return;
  rmSync(directory, { recursive: true, force: true });
  rmSync(marker, { force: true });
  log(`scale: writing ${count.toLocaleString('en-US')} files into ${directory}`);
  for (let index = 0; index < count; index += 1) {
    if (index % PER_DIRECTORY === 0) mkdirSync(path.join(directory, path.dirname(pathOf(index))), { recursive: true });
    writeFileSync(path.join(directory, pathOf(index)), contentOf(index));
  }
  writeFileSync(marker, String(count));
}

/**
 * Reads every file of the tree once, outside the timed run: on a runner the build has just written them, so
 * they are in the page cache, but this machine's memory reclaim drops a million small files' pages within
 * minutes, and a cold tree measures the disk, not the action.
 */
export function warmTree(directory, count) {
  for (let index = 0; index < count; index += 1) readFileSync(path.join(directory, pathOf(index)));
}

/** The pipeline's own header defaults and manifest encoder, compiled by tsc (so the manifest is the real format). */
export async function compiledModules(repo, capture, work) {
  const out = path.join(work, 'tsc-scale');
  rmSync(out, { recursive: true, force: true });
  for (const entry of ['src/pipeline/manifest.ts', 'src/pipeline/headers.ts']) {
    // tsc emits despite type errors under these loose options (as the hash phase relies on too).
    const result = await capture(path.join(repo, 'node_modules/.bin/tsc'), tscArguments(repo, out, entry), {
      cwd: repo,
      env: process.env,
    });
    const emitted = path.join(out, entry.replace(/^src\//, '').replace(/\.ts$/, '.js'));
    if (!existsSync(emitted)) throw new Error(`tsc did not emit ${emitted}: ${result.stdout}${result.stderr}`);
  }
  const load = (name) => import(pathToFileURL(path.join(out, 'pipeline', name)).href);
  return { manifest: await load('manifest.js'), headers: await load('headers.js') };
}

/** The listing and the manifest a deploy of the tree would have left in the bucket. */
export function bucketOf(count, { manifest, headers }) {
  const entries = new Map();
  const paths = [];
  const etags = [];
  const sizes = [];
  const noRules = { cacheControl: [], contentType: [] };
  for (let index = 0; index < count; index += 1) {
    const relativePath = pathOf(index);
    const body = contentOf(index);
    const md5 = createHash('md5').update(body).digest('hex');
    const { contentType, cacheControl } = headers.headersFor(relativePath, noRules);
    entries.set(relativePath, {
      md5,
      etag: md5,
      size: body.length,
      contentType,
      cacheControl,
      lastModified: LISTED_AT,
    });
    paths.push(relativePath);
    etags.push(md5);
    sizes.push(body.length);
  }
  const state = { ...manifest.emptyManifest(), entries };
  const body = manifest.encodeManifest(state, new Date(LISTED_AT));
  const etag = createHash('md5').update(body).digest('hex');
  // The manifest sorts first ('.' is below every letter), as S3 would list it.
  return {
    objects: {
      keys: [MANIFEST_NAME, ...paths],
      etags: [etag, ...etags],
      sizes: [body.length, ...sizes],
      lastModified: LISTED_AT,
    },
    bodies: new Map([[MANIFEST_NAME, { body, etag }]]),
    manifestBytes: body.length,
  };
}

/**
 * For each size: the tree, the stand-in, then `rounds` rounds of the two variants (alternating order).
 * Resolves to one record per size and variant: wall/CPU/RSS per run, requests of the first run, outputs.
 */
export async function benchScale({ repo, node24, work, sizes, delayMs, rounds, log, capture, median }) {
  const modules = await compiledModules(repo, capture, work);
  const records = [];
  for (const count of sizes) {
    const tree = path.join(work, `scale-${count}`);
    ensureTree(tree, count, log);
    const bucket = bucketOf(count, modules);
    const standin = await startListingStandin({ bucket: 'scale', ...bucket, delayMs });
    try {
      const tools = makeTools({ repo, node24, work, endpoint: standin.endpoint });
      const variants = [
        { name: 'key ranges (concurrency 32, the default)', concurrency: undefined },
        { name: 'one listing (concurrency 1)', concurrency: 1 },
      ];
      const runs = new Map(variants.map((variant) => [variant.name, []]));
      for (let round = 0; round < rounds; round += 1) {
        for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
          for (const operation of Object.keys(standin.requests)) delete standin.requests[operation];
          const logFile = path.join(work, `scale-${count}-${round}-${variant.concurrency ?? 'default'}.log`);
          warmTree(tree, count);
          const result = await tools.action(tree, 'scale', {
            logFile,
            concurrency: variant.concurrency,
            timeoutMs: 15 * 60_000,
          });
          if (result.code !== 0)
            throw new Error(`the action failed on the ${count}-file tree (${variant.name}); see ${logFile}`);
          runs.get(variant.name).push({ ...result, requests: { ...standin.requests } });
          log(
            `scale: ${count} files, ${variant.name}: ${result.wallS.toFixed(2)} s, ${(result.rssKb / 1024).toFixed(0)} MB`,
          );
        }
      }
      for (const variant of variants) {
        const done = runs.get(variant.name);
        records.push({
          files: count,
          variant: variant.name,
          manifestMB: bucket.manifestBytes / 1e6,
          wallS: median(done.map((run) => run.wallS)),
          runsS: done.map((run) => run.wallS),
          cpuS: median(done.map((run) => run.userS + run.sysS)),
          peakRssMB: Math.max(...done.map((run) => run.rssKb)) / 1024,
          requests: done[0].requests,
          outputs: done[0].outputs,
        });
      }
    } finally {
      await standin.close();
    }
  }
  return records;
}

/** bench/scale.md. */
export function scaleMarkdown({ records, delayMs, rounds, command, generatedAt, commit, machine }) {
  const row = (record) =>
    `| ${record.files.toLocaleString('en-US')} | ${record.variant} | ${record.wallS.toFixed(2)} | ${record.runsS.map((s) => s.toFixed(2)).join(', ')} | ${record.cpuS.toFixed(2)} | ${record.peakRssMB.toFixed(0)} | ${Object.entries(
      record.requests,
    )
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')} | ${record.outputs['uploaded'] ?? '?'} / ${record.outputs['deleted'] ?? '?'} |`;
  const million = records.filter((record) => record.files >= 1_000_000 && record.variant.startsWith('key ranges'));
  const goal = million.map(
    (record) =>
      `- **Goal: a no-change deploy of 1,000,000 objects within 60 s and 1 GB at ${delayMs} ms a request**: ${record.wallS.toFixed(1)} s and ${record.peakRssMB.toFixed(0)} MB — ${record.wallS <= 60 && record.peakRssMB <= 1024 ? '**met**' : '**not met**'}.`,
  );
  return `# Bench: a no-change deploy of up to a million objects

Generated by \`bench/run.mjs\` on ${generatedAt} (commit ${commit}) — do not edit by hand. Reproduce with \`${command}\`.

${goal.join('\n')}

- The bucket: the listing stand-in of \`bench/lib/listing-standin.mjs\` on 127.0.0.1 (no disk-backed server holds a million objects): it lists the keys, ETags and sizes of a previous deploy of the tree, 1,000 a page, serves that deploy's manifest (written with the pipeline's own \`encodeManifest\`), refuses anything else with 501, and waits **${delayMs} ms** before every answer.
- The build: a generated tree of small files (\`d0000/f0000000.txt\`, 1,000 a directory), the same bytes as the manifest records, so the deploy has nothing to write.
- The action: \`dist/index.js\` on node24 with the inputs of a default deploy; *key ranges* is the default (the listing in up to \`concurrency\` ranges whose bounds come from the build's sorted paths); *one listing* is \`concurrency: 1\`, one range, as every listing was before.
- ${rounds} round(s) (the variants' order reversed every other round); wall and CPU are medians, peak RSS the largest; requests are the first run's. ${machine}

| files | listing | wall s (median) | runs s | CPU s | peak RSS MB | requests | uploaded / deleted |
|---:|---|---:|---|---:|---:|---|---|
${records.map(row).join('\n')}
`;
}
