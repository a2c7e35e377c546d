// Everything a test file starts or creates is undone when the file ends, also when its tests fail:
// temporary folders are removed, child processes still running are killed, registered servers closed.
// Importing this module registers the afterAll hook (support modules import it; tests may too). Import it
// statically, at the top of a file: a hook cannot be registered from inside a running test (an `await import`
// there fails with "Hooks cannot be defined inside tests").
//
// The whole run also has its own temp folder (global-setup.mjs sets TMPDIR to it) and global-teardown.mjs
// fails the run if anything is left in it, so a helper that forgets to clean up is caught.
import { afterAll } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTree } from './run-folder.mjs';

export { removeTree };

const folders = new Set<string>();
const children = new Set<ChildProcess>();
const closers: Array<() => Promise<void> | void> = [];

/** A new folder under os.tmpdir() (`<name>-XXXXXX`), removed when the test file ends. */
export function tempDir(name: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  folders.add(folder);
  return folder;
}

/** Kills the child with SIGKILL when the test file ends, if it is still running then. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child)); // never started
  return child;
}

/** Runs `close` when the test file ends (servers, clients), before the temp folders are removed. */
export function onCleanup(close: () => Promise<void> | void): void {
  closers.push(close);
}

afterAll(async () => {
  const running = [...children];
  children.clear();
  for (const child of running) child.kill('SIGKILL');
  // SIGKILL cannot be caught: each exits at once; the bound only guards against a wait that never ends.
  await Promise.allSettled(
    running.map(
      (child) =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          child.once('exit', () => resolve(clearTimeout(timer)));
        }),
    ),
  );
  await Promise.allSettled(closers.splice(0).map((close) => close()));
  for (const folder of folders) removeTree(folder);
  folders.clear();
});
