// The ParlAI preset's build (presets/parlai/build-site.sh) from the shared source fixture, for the ParlAI test
// (__tests__/parlai/) and the benchmark (bench/lib/parlai-build.mjs). See ../shared/fixtures/README.md.
//
// - checkParlaiBuild(): whether this machine can run the build (fixtures, Debian packages); a reason if not.
// - prepareParlaiCheckout(dir): unpacks parlai-source.tar.gz and the vendored packages into dir, applies the two
//   myst link fixes Debian's myst-parser 0.18 needs (the test's job, not the preset's), makes it a git repository
//   whose HEAD is ParlAI's real commit (the docs' [source] links carry it).
// - runBuildSite(checkout, options): runs build-site.sh under GNU time with a bounded run time (the whole process
//   group is killed on timeout), and returns wall/CPU seconds and peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = process.env.PARLAI_FIXTURES ?? path.resolve(REPO, '../shared/fixtures');
export const BUILD_SITE = path.join(REPO, 'presets/parlai/build-site.sh');
/** Debian's interpreter: the apt packages install for it (a pyenv `python3` on PATH would not see them). */
export const PARLAI_PYTHON = process.env.PARLAI_PYTHON ?? '/usr/bin/python3';
/** ParlAI's commit in parlai-source.tar.gz. */
export const PARLAI_COMMIT = 'a29567f7ce76992fd1f03c51ba9e3b155a37ea51';
export const GNU_TIME = '/usr/bin/time';

const FIXTURE_FILES = [
  'parlai-source.tar.gz',
  'parlai-build-vendor.tar.gz',
  'parlai-site-full.tar.gz',
  'parlai-website.tar.gz',
];

/** The modules of the Debian packages .ci/parlai-deps.sh installs (import name → Debian package). */
const PYTHON_MODULES = {
  sphinx: 'python3-sphinx',
  myst_parser: 'python3-myst-parser',
  sphinx_rtd_theme: 'python3-sphinx-rtd-theme',
  git: 'python3-git',
  yaml: 'python3-yaml',
  tqdm: 'python3-tqdm',
  regex: 'python3-regex',
  requests: 'python3-requests',
  portalocker: 'python3-portalocker',
  numpy: 'python3-numpy',
  typing_extensions: 'python3-typing-extensions',
  packaging: 'python3-packaging',
  sh: 'python3-sh',
  tornado: 'python3-tornado',
  websocket: 'python3-websocket',
  joblib: 'python3-joblib',
};

/** Undefined when the build can run here; otherwise why not (printed by the test and the benchmark). */
export function checkParlaiBuild({ needTime = false } = {}) {
  const absent = FIXTURE_FILES.filter((name) => !existsSync(path.join(FIXTURES, name)));
  if (absent.length) return `fixtures missing in ${FIXTURES}: ${absent.join(', ')}`;
  if (!existsSync(PARLAI_PYTHON)) return `${PARLAI_PYTHON} not found (set PARLAI_PYTHON)`;
  if (spawnSync('git', ['--version']).status !== 0) return 'git not found';
  if (needTime && !existsSync(GNU_TIME)) return `${GNU_TIME} not found (Debian package time)`;
  const probe = spawnSync(
    PARLAI_PYTHON,
    [
      '-c',
      'import importlib.util, sys\n' +
        'missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]\n' +
        'print(" ".join(missing))',
      ...Object.keys(PYTHON_MODULES),
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.status !== 0) return `${PARLAI_PYTHON} failed: ${probe.stderr.trim()}`;
  const missing = probe.stdout.trim().split(/\s+/).filter(Boolean);
  if (missing.length)
    return `Python modules missing for ${PARLAI_PYTHON}: ${missing.join(', ')} (Debian packages ${missing
      .map((module) => PYTHON_MODULES[module])
      .join(' ')}; run .ci/parlai-deps.sh as root)`;
  return undefined;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, ...options });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return result.stdout;
}

export function untar(archive, directory) {
  run('tar', ['-xzf', path.join(FIXTURES, archive), '-C', directory]);
}

/** The two `](#label)` links Debian's myst-parser 0.18 rejects under -W (ParlAI's CI used an older one). */
export const MYST_LINK_FIXES = [
  ['docs/source/tutorial_metrics.md', '](#list-of-metrics)', '](list-of-metrics)'],
  ['docs/source/tutorial_model_cards.md', '](#details-of-report-generation)', '](details-of-report-generation)'],
];

/**
 * Unpacks ParlAI's source and the vendored packages into `directory`; returns the checkout and the PYTHONPATH
 * entries that stand in for the pip pins Debian lacks (Markdown 3.3.2, py-gfm 1.0.2, iopath).
 */
export function prepareParlaiCheckout(directory) {
  untar('parlai-source.tar.gz', directory);
  untar('parlai-build-vendor.tar.gz', directory);
  const checkout = path.join(directory, 'ParlAI');
  for (const [file, from, to] of MYST_LINK_FIXES) {
    const full = path.join(checkout, file);
    const text = readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} no longer contains ${from}`);
    writeFileSync(full, text.split(from).join(to));
  }
  // A repository of its own: no user or system git configuration is read, nothing is signed.
  const gitEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: directory,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'fixture',
    GIT_AUTHOR_EMAIL: 'fixture@localhost',
    GIT_COMMITTER_NAME: 'fixture',
    GIT_COMMITTER_EMAIL: 'fixture@localhost',
  };
  const git = (...args) => run('git', ['-C', checkout, ...args], { env: gitEnv });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', 'ParlAI at a29567f7 (fixture)');
  // generate.py needs only the repository root; conf.py puts `git rev-parse HEAD` in every [source] link:
  // pointing HEAD at ParlAI's real commit reproduces the reference links.
  writeFileSync(path.join(checkout, '.git/HEAD'), `${PARLAI_COMMIT}\n`);
  const vendor = path.join(directory, 'parlai-build-vendor');
  const pythonPath = ['markdown-3.3.2', 'py-gfm', 'iopath'].map((name) => path.join(vendor, name));
  return { checkout, pythonPath };
}

/**
 * Runs presets/parlai/build-site.sh on `checkout` (PYTHON = Debian's python3), under GNU time when present.
 * Resolves to { code, signal, timedOut, wallS, cpuS, rssKb, log }; `log` holds the script's output.
 */
export function runBuildSite(checkout, { pythonPath = [], env = {}, timeoutMs = 15 * 60_000, logFile, onOutput } = {}) {
  const timeFile = logFile ? `${logFile}.time` : path.join(checkout, '..', 'build-site.time');
  rmSync(timeFile, { force: true });
  const timed = existsSync(GNU_TIME);
  const command = timed ? GNU_TIME : 'bash';
  const args = timed
    ? ['-f', '%M %e %U %S', '-o', timeFile, '--', 'bash', BUILD_SITE, checkout]
    : [BUILD_SITE, checkout];
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.dirname(checkout),
      LANG: 'C.UTF-8',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      PYTHON: PARLAI_PYTHON,
      PYTHONPATH: pythonPath.join(':'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: a timeout ends every process it started
  });
  let log = '';
  const collect = (chunk) => {
    log += chunk;
    onOutput?.(chunk);
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  let timedOut = false;
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  const onExit = () => kill();
  process.once('exit', onExit);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      const wallS = Number(process.hrtime.bigint() - started) / 1e9;
      let rssKb = NaN;
      let cpuS = NaN;
      if (timed && existsSync(timeFile)) {
        // GNU time writes "Command exited with non-zero status N" first when the command fails.
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [rss, , user, sys] = last.split(/\s+/).map(Number);
        rssKb = rss;
        cpuS = user + sys;
      }
      if (logFile) writeFileSync(logFile, log);
      resolve({ code, signal, timedOut, wallS, cpuS, rssKb, log });
    });
  });
}
