#!/usr/bin/env node
// A synthetic documentation site for the benchmark: deterministic (a seeded PRNG: the same options give the
// same paths and the same bytes on every run and every machine), nested like a docs site, with a realistic
// mix of sizes:
//   ~60% HTML pages of a few KB, ~10% CSS, ~10% JavaScript (some fingerprinted, e.g. app.3f2a9c1b.js),
//   ~15% images of tens of KB (incompressible bytes), ~5% JSON/XML/TXT/SVG/fonts, and a few multi-MB
//   downloads (PDF/ZIP/MP4; one of them at least 8 MiB so multipart uploads are exercised).
// A few names have upper-case letters, spaces, parentheses or non-ASCII characters.
//
//   node bench/generate-site.mjs DIR [--files 5000] [--seed 42]
//   import { generateSite } from './bench/generate-site.mjs'; await generateSite(dir, { files, seed })
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small, fast 32-bit PRNG; `next()` is uniform in [0, 1). */
export function prng(seed) {
  let state = seed >>> 0;
  const nextUint = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextUint,
    next: () => nextUint() / 4294967296,
    int: (min, max) => min + Math.floor((nextUint() / 4294967296) * (max - min + 1)),
    pick: (items) => items[Math.floor((nextUint() / 4294967296) * items.length)],
  };
}

/** Incompressible, deterministic bytes: SHA-256 in counter mode over the seed (fast, and the same everywhere). */
function randomPool(seed, size) {
  const pool = Buffer.allocUnsafe(size);
  for (let offset = 0, counter = 0; offset < size; counter += 1) {
    const block = createHash('sha256').update(`pool:${seed}:${counter}`).digest();
    offset += block.copy(pool, offset);
  }
  return pool;
}

const WORDS = (
  'model agent dialogue task teacher world dataset train evaluate metric token batch learning rate optimizer ' +
  'transformer encoder decoder retrieval memory knowledge persona chat safety crowdsourcing annotation ' +
  'tutorial install configure command option argument example output result table figure section note ' +
  'warning deprecated parameter returns class method function module package import script logging ' +
  'checkpoint inference generation beam search sampling temperature context window response candidate'
).split(' ');

const SECTIONS = ['docs', 'tutorials', 'api', 'projects', 'blog', 'zoo', 'tasks', 'agents', 'faq', 'about'];
const SPECIAL_DIRS = ['Getting Started', 'Über uns', '日本語', 'Release Notes', 'MixedCase'];
const SPECIAL_NAMES = [
  'README.HTML',
  'Quick Start.html',
  'café-menu.html',
  'naïve bayes.html',
  'résumé (v2).html',
  '中文 文档.html',
  'FAQ.html',
  'Version 2.0 Notes.html',
];
// (No '+', '=' or '&' in names: s3rver 3.7 decodes x-amz-copy-source with decodeURI, which leaves %2B, %3D and
// %26 encoded, so a server-side copy of such a key fails with NoSuchKey — an s3rver bug, not a tool's.)

function words(rng, count) {
  const out = [];
  for (let i = 0; i < count; i += 1) out.push(rng.pick(WORDS));
  return out.join(' ');
}

function slug(rng) {
  return `${rng.pick(WORDS)}-${rng.pick(WORDS)}${rng.int(0, 3) === 0 ? `-${rng.int(1, 99)}` : ''}`;
}

/**
 * Directory names join words with '_', file names with '-': a directory name is then never the start of a
 * sibling file's name (`foo/` beside `foo.html` or `foo-2.html`). s3rver lists keys in the order of a directory
 * walk, which puts `foo/…` before `foo-2.html` and `foo.html` where S3 puts it after them (byte order): that
 * breaks `aws s3 sync --delete` (it merges two listings it expects sorted alike, then uploads and deletes the
 * same files) and can drop keys at page boundaries. AWS S3 has neither problem, so the benchmark avoids the
 * pattern rather than penalise a tool for the test server's bug. (`checkListingOrder` enforces it.)
 */
function dirSlug(rng) {
  return `${rng.pick(WORDS)}_${rng.pick(WORDS)}${rng.int(0, 3) === 0 ? `_${rng.int(1, 99)}` : ''}`;
}

/** Throws if a file name starts with a sibling directory's name followed by a character below '/'. */
export function checkListingOrder(relativePaths) {
  const directories = new Set();
  for (const relativePath of relativePaths) {
    const parts = relativePath.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) directories.add(parts.slice(0, depth).join('/'));
  }
  for (const relativePath of relativePaths) {
    const slash = relativePath.lastIndexOf('/');
    const parent = relativePath.slice(0, slash + 1);
    const name = relativePath.slice(slash + 1);
    for (let length = 1; length < name.length; length += 1) {
      if (name[length] < '/' && directories.has(parent + name.slice(0, length))) {
        throw new Error(
          `generated site has ${JSON.stringify(relativePath)} beside directory ${JSON.stringify(parent + name.slice(0, length))}/`,
        );
      }
    }
  }
}

function hex(rng, length) {
  let out = '';
  while (out.length < length) out += rng.nextUint().toString(16).padStart(8, '0');
  out = out.slice(0, length);
  // A fingerprint mixes digits and letters (see src/headers.ts); force one of each.
  return `a${out.slice(1, -1)}7`;
}

/** Text of about `size` bytes, in the style of `kind`. */
function textBody(rng, kind, relativePath, size) {
  const parts = [];
  let length = 0;
  const push = (text) => {
    parts.push(text);
    length += Buffer.byteLength(text);
  };
  if (kind === 'html') {
    push(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${words(rng, 4)}</title>\n`);
    push(
      `<link rel="stylesheet" href="/_static/css/theme.css">\n<script src="/_static/js/app.js"></script>\n</head>\n<body>\n`,
    );
    push(`<!-- ${relativePath} -->\n<nav>${words(rng, 12)}</nav>\n<main>\n`);
    while (length < size - 40) {
      const r = rng.int(0, 9);
      if (r === 0) push(`<h2 id="${slug(rng)}">${words(rng, 5)}</h2>\n`);
      else if (r === 1)
        push(`<pre><code>parlai ${rng.pick(WORDS)} --${rng.pick(WORDS)} ${rng.int(1, 1000)}</code></pre>\n`);
      else if (r === 2) push(`<a href="/${rng.pick(SECTIONS)}/${slug(rng)}.html">${words(rng, 3)}</a>\n`);
      else push(`<p>${words(rng, rng.int(20, 60))}.</p>\n`);
    }
    push('</main>\n</body>\n</html>\n');
  } else if (kind === 'css') {
    push(`/* ${relativePath} */\n`);
    while (length < size)
      push(`.${rng.pick(WORDS)}-${rng.pick(WORDS)} { margin: ${rng.int(0, 32)}px; color: #${hex(rng, 6)}; }\n`);
  } else if (kind === 'js') {
    push(`// ${relativePath}\n"use strict";\n`);
    while (length < size)
      push(
        `function ${rng.pick(WORDS)}_${rng.int(0, 1e6)}(a, b) { return a * ${rng.int(1, 99)} + b.${rng.pick(WORDS)}; }\n`,
      );
  } else if (kind === 'json') {
    push(`{"path": ${JSON.stringify(relativePath)}, "items": [\n`);
    while (length < size) push(`{"name": "${slug(rng)}", "score": ${rng.int(0, 1e6)}, "text": "${words(rng, 8)}"},\n`);
    push('{}]}\n');
  } else if (kind === 'svg') {
    push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><!-- ${relativePath} -->\n`);
    while (length < size)
      push(`<circle cx="${rng.int(0, 100)}" cy="${rng.int(0, 100)}" r="${rng.int(1, 20)}" fill="#${hex(rng, 6)}"/>\n`);
    push('</svg>\n');
  } else {
    push(`${relativePath}\n`);
    while (length < size) push(`${words(rng, 14)}\n`);
  }
  return Buffer.from(parts.join(''));
}

/** Binary content: a header naming the file (so every file is unique), then bytes from the pool. */
function binaryBody(rng, pool, relativePath, size) {
  const body = Buffer.allocUnsafe(size);
  const header = Buffer.from(`${relativePath}\n`);
  let offset = header.copy(body, 0, 0, Math.min(header.length, size));
  while (offset < size) {
    const start = rng.int(0, pool.length - 1);
    offset += pool.copy(body, offset, start, Math.min(pool.length, start + (size - offset)));
  }
  return body;
}

/**
 * The list of files the site has, as { relativePath, kind, size } (no content): deterministic for
 * (files, seed). `files` is the exact number of files.
 */
export function planSite({ files = 5000, seed = 42 } = {}) {
  const rng = prng(seed);
  const specs = [];
  const used = new Set();
  const add = (relativePath, kind, size) => {
    let candidate = relativePath;
    for (let n = 2; used.has(candidate); n += 1) candidate = relativePath.replace(/(\.[^./]+)$/, `-${n}$1`);
    used.add(candidate);
    specs.push({ relativePath: candidate, kind, size });
  };

  // A few multi-MB downloads: ~1 per 1,000 files, 2..10; the first is 9-12 MiB (multipart), others 1-6 MiB.
  const large = Math.min(10, Math.max(2, Math.round(files / 1000)));
  for (let i = 0; i < large && specs.length < files; i += 1) {
    const ext = ['pdf', 'zip', 'mp4'][i % 3];
    const size = i === 0 ? rng.int(9 * 1024 * 1024, 12 * 1024 * 1024) : rng.int(1024 * 1024, 6 * 1024 * 1024);
    add(`downloads/${i === 1 ? 'ParlAI Paper' : slug(rng)}-${i}.${ext}`, 'binary', size);
  }
  // Special names: upper case, spaces, unicode.
  for (let i = 0; i < SPECIAL_NAMES.length && specs.length < files; i += 1) {
    const dir = i < SPECIAL_DIRS.length ? `${SPECIAL_DIRS[i]}/` : `docs/${SPECIAL_DIRS[i % SPECIAL_DIRS.length]}/`;
    add(`${dir}${SPECIAL_NAMES[i]}`, 'html', rng.int(2000, 9000));
  }

  // A directory tree: section / (sub) / (subsub), each directory holding up to ~60 files.
  const directories = [];
  for (const section of SECTIONS) {
    directories.push(section);
    const subs = rng.int(3, 12);
    for (let s = 0; s < subs; s += 1) {
      const sub = `${section}/${dirSlug(rng)}`;
      directories.push(sub);
      if (rng.int(0, 2) === 0) for (let t = rng.int(1, 4); t > 0; t -= 1) directories.push(`${sub}/${dirSlug(rng)}`);
    }
  }
  const assetDirs = ['_static/css', '_static/js', '_static/fonts', 'assets', '_images', 'static/img'];
  // Grow the tree with the site so directories stay around 40-60 files.
  const wanted = Math.ceil(files / 50);
  for (let i = 0; directories.length < wanted && i < 100000; i += 1) {
    const parent = rng.pick(directories);
    if (parent.split('/').length < 5) directories.push(`${parent}/${dirSlug(rng)}`);
  }

  while (specs.length < files) {
    const r = rng.next();
    const dir = rng.pick(directories);
    if (r < 0.6) {
      const name = rng.int(0, 7) === 0 ? 'index.html' : `${slug(rng)}.html`;
      add(`${dir}/${name}`, 'html', rng.int(2000, 14000));
    } else if (r < 0.7) {
      const fingerprinted = rng.int(0, 1) === 0;
      add(
        `${rng.pick([assetDirs[0], 'assets', `${dir}/_static`])}/${slug(rng)}${fingerprinted ? `.${hex(rng, 8)}` : ''}.css`,
        'css',
        rng.int(1000, 40000),
      );
    } else if (r < 0.8) {
      const fingerprinted = rng.int(0, 1) === 0;
      add(
        `${rng.pick([assetDirs[1], 'assets', `${dir}/_static`])}/${slug(rng)}${fingerprinted ? `.${hex(rng, 8)}` : ''}.js`,
        'js',
        rng.int(1000, 60000),
      );
    } else if (r < 0.95) {
      const ext = rng.pick(['png', 'png', 'jpg', 'jpg', 'webp', 'gif']);
      add(
        `${rng.pick([assetDirs[4], assetDirs[5], `${dir}/images`])}/${slug(rng)}.${ext}`,
        'binary',
        rng.int(10000, 90000),
      );
    } else {
      const kind = rng.pick(['json', 'svg', 'txt', 'xml', 'font']);
      if (kind === 'font') add(`${assetDirs[2]}/${slug(rng)}.woff2`, 'binary', rng.int(20000, 80000));
      else if (kind === 'xml') add(`${dir}/sitemap-${rng.int(1, 999)}.xml`, 'txt', rng.int(1000, 20000));
      else add(`${dir}/${slug(rng)}.${kind}`, kind, rng.int(500, 20000));
    }
  }
  checkListingOrder(specs.map((spec) => spec.relativePath));
  return specs;
}

/**
 * Writes the site under `dir` (emptied first). Returns { files, bytes, paths } where paths are the relative
 * paths in generation order.
 */
export async function generateSite(dir, { files = 5000, seed = 42 } = {}) {
  const specs = planSite({ files, seed });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pool = randomPool(seed, 16 * 1024 * 1024);
  const made = new Set();
  let bytes = 0;
  for (const [index, spec] of specs.entries()) {
    // Content from its own PRNG stream, so a file's bytes depend only on (seed, index, path).
    const rng = prng((seed * 2654435761 + index * 40503) >>> 0);
    const body =
      spec.kind === 'binary'
        ? binaryBody(rng, pool, spec.relativePath, spec.size)
        : textBody(rng, spec.kind, spec.relativePath, spec.size);
    const target = path.join(dir, spec.relativePath);
    const parent = path.dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(target, body);
    bytes += body.length;
  }
  return { files: specs.length, bytes, paths: specs.map((spec) => spec.relativePath) };
}

/** A deterministic choice of `share` of the files (sorted paths), skipping files over 1 MiB. */
export function chooseEdits(paths, sizes, { share = 0.01, seed = 7 } = {}) {
  const candidates = [...paths].sort().filter((relativePath) => (sizes.get(relativePath) ?? 0) <= 1024 * 1024);
  const count = Math.max(1, Math.ceil(paths.length * share));
  const rng = prng(seed);
  const chosen = new Set();
  for (let attempts = 0; chosen.size < count && attempts < count * 100; attempts += 1) chosen.add(rng.pick(candidates));
  return [...chosen].sort();
}

/** Edits `share` of the files under `dir` as the benchmarks do (a comment appended); gives their paths. */
export function editFiles(dir, paths, { share = 0.01, seed = 7 } = {}) {
  const sizes = new Map(paths.map((relativePath) => [relativePath, statSync(path.join(dir, relativePath)).size]));
  const edited = chooseEdits(paths, sizes, { share, seed });
  for (const relativePath of edited)
    appendFileSync(path.join(dir, relativePath), `\n<!-- edited by the benchmark: ${relativePath} -->\n`);
  return edited;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const argv = process.argv.slice(2);
  const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
  const dir = argv.find((arg, index) => !arg.startsWith('--') && !(index > 0 && argv[index - 1].startsWith('--')));
  if (!dir) {
    console.error('usage: node bench/generate-site.mjs DIR [--files 5000] [--seed 42]');
    process.exit(2);
  }
  const files = Number(option('--files', '5000'));
  const seed = Number(option('--seed', '42'));
  if (!Number.isInteger(files) || files < 1 || !Number.isInteger(seed)) {
    console.error('--files and --seed take whole numbers (files >= 1)');
    process.exit(2);
  }
  const started = Date.now();
  const result = await generateSite(dir, { files, seed });
  console.log(
    `${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB in ${dir} (seed ${seed}, ${Date.now() - started} ms)`,
  );
}
