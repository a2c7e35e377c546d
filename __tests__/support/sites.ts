// Sites to deploy in tests: the ParlAI website fixture when the team's shared fixtures are present, and
// small generated sites for targeted cases.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './action-runner.js';
import { tempDir } from './cleanup.js';

export { tempDir };

/** The ParlAI website as its own build produces it (168 files, 31 MiB, MIT): see ../shared/fixtures/README.md. */
export const PARLAI_FIXTURE =
  process.env.PARLAI_SITE_FIXTURE ?? path.resolve(REPO, '../shared/fixtures/parlai-website.tar.gz');

/** Unpacks the ParlAI site into a new directory; undefined when the fixture is not on this machine. */
export function parlaiSite(): string | undefined {
  if (!existsSync(PARLAI_FIXTURE)) return undefined;
  const directory = tempDir('parlai');
  execFileSync('tar', ['-xzf', PARLAI_FIXTURE, '-C', directory], { timeout: 30_000 });
  return path.join(directory, 'site-build');
}

/** A copy of the sample site in examples/site. */
export function sampleSite(): string {
  const directory = path.join(tempDir('sample'), 'site');
  cpSync(path.join(REPO, 'examples/site'), directory, { recursive: true });
  return directory;
}

export function writeSite(
  files: Record<string, string | Buffer>,
  directory = path.join(tempDir('site'), 'site'),
): string {
  for (const [relativePath, content] of Object.entries(files)) {
    const target = path.join(directory, relativePath);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  mkdirSync(directory, { recursive: true });
  return directory;
}

export function listFiles(directory: string, base = directory): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** What a fresh CI checkout does to a build: same bytes, every mtime new. */
export function touchAll(directory: string, when = new Date(Date.now() + 3_600_000)): void {
  for (const file of listFiles(directory)) utimesSync(path.join(directory, file), when, when);
}
