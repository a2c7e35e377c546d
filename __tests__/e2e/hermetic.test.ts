// The run-level temp folder check (support/global-setup.mjs, global-teardown.mjs): a run that leaves anything
// in its temp folder fails, naming what it left; the folder goes either way; interrupted runs' folders are
// removed by the next run, and live runs' folders are not.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../support/cleanup.js';
import globalTeardown from '../support/global-teardown.mjs';
import { RUN_PREFIX, removeStaleRunFolders } from '../support/run-folder.mjs';

/** Runs globalTeardown against `run` as if it were the run's folder. */
function teardown(run: string): void {
  const saved = { ...process.env };
  process.env.PARLAI_TEST_TMPDIR = run;
  process.env.PARLAI_TEST_PARENT_TMPDIR = path.dirname(run);
  try {
    globalTeardown();
  } finally {
    for (const name of ['PARLAI_TEST_TMPDIR', 'PARLAI_TEST_PARENT_TMPDIR', 'TMPDIR']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

describe('the run temp folder', () => {
  it('is the TMPDIR of this test file', () => {
    expect(path.basename(os.tmpdir())).toMatch(new RegExp(`^${RUN_PREFIX}\\d+-`));
  });

  it('empty at the end: the run passes and the folder is removed', () => {
    const run = path.join(tempDir('fake-parent'), `${RUN_PREFIX}1-empty`);
    mkdirSync(run);
    expect(() => teardown(run)).not.toThrow();
    expect(existsSync(run)).toBe(false);
  });

  it('anything left: the run fails naming each entry, and the folder is removed all the same', () => {
    const run = path.join(tempDir('fake-parent'), `${RUN_PREFIX}1-left`);
    mkdirSync(path.join(run, 'action-run-abc123', 'locked'), { recursive: true });
    writeFileSync(path.join(run, 'action-run-abc123', 'locked', 'file'), 'x');
    chmodSync(path.join(run, 'action-run-abc123', 'locked'), 0o000);
    writeFileSync(path.join(run, 'stray.txt'), 'x');
    expect(() => teardown(run)).toThrow(
      /left 2 entries in their temp folder .*\n {2}action-run-abc123\n {2}stray\.txt/,
    );
    expect(existsSync(run)).toBe(false);
  });

  it("an interrupted run's folder is removed at the next start; a running one's is kept", async () => {
    const parent = tempDir('fake-parent');
    // A process that has exited: its pid names a folder nobody will clean up.
    const gone = spawn(process.execPath, ['-e', '0']);
    const pid = await new Promise<number>((resolve) => gone.once('exit', () => resolve(gone.pid!)));
    mkdirSync(path.join(parent, `${RUN_PREFIX}${pid}-stale`, 'sub'), { recursive: true });
    mkdirSync(path.join(parent, `${RUN_PREFIX}${process.pid}-live`));
    mkdirSync(path.join(parent, 'unrelated-folder'));
    removeStaleRunFolders(parent);
    expect(readdirSync(parent).sort()).toEqual([`${RUN_PREFIX}${process.pid}-live`, 'unrelated-folder']);
  });
});
