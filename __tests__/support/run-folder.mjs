// The test run's own temp folder (see global-setup.mjs): its name, and how it is listed and removed.
import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const RUN_PREFIX = 'parlai-site-deploy-test-';

function restorePermissions(folder) {
  try {
    if (!lstatSync(folder).isDirectory()) return;
    chmodSync(folder, 0o700);
    for (const name of readdirSync(folder)) restorePermissions(path.join(folder, name));
  } catch {
    // gone, or not ours
  }
}

/** Removes a folder tree, first making its folders accessible again if a test took permissions away. */
export function removeTree(folder) {
  try {
    rmSync(folder, { recursive: true, force: true });
  } catch {
    restorePermissions(folder);
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Lists what is in the run folder, removes it, and returns the list. */
export function removeRunFolder(run) {
  let left = [];
  try {
    left = readdirSync(run).sort();
  } catch {
    return [];
  }
  removeTree(run);
  return left;
}

/** Run folders of runs that were interrupted (their jest process is gone) are removed at the next start. */
export function removeStaleRunFolders(parent) {
  let names = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = new RegExp(`^${RUN_PREFIX}(\\d+)-`).exec(name);
    if (!match || Number(match[1]) === process.pid || isAlive(Number(match[1]))) continue;
    try {
      if (lstatSync(path.join(parent, name)).uid !== process.getuid?.()) continue;
      removeRunFolder(path.join(parent, name));
      console.log(`Removed ${path.join(parent, name)}, left by an interrupted test run.`);
    } catch {
      // another user's, or already gone
    }
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
