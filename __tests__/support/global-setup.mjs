// jest globalSetup: the run gets a fresh temp folder of its own, and TMPDIR points at it for every test
// worker and every process they start (os.tmpdir() reads TMPDIR). global-teardown.mjs checks it is empty at
// the end, fails the run if it is not, and removes it either way.
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureNode24 } from '../../tools/node24/ensure.mjs';
import { removeStaleRunFolders, RUN_PREFIX } from './run-folder.mjs';

export default function globalSetup() {
  // Node 24 for running dist/index.js as the runner does (installed once, outside node_modules/.bin).
  ensureNode24();
  const parent = os.tmpdir();
  removeStaleRunFolders(parent);
  const run = mkdtempSync(path.join(parent, `${RUN_PREFIX}${process.pid}-`));
  if (readdirSync(run).length > 0) throw new Error(`${run} is not empty`);
  process.env.PARLAI_TEST_PARENT_TMPDIR = parent;
  process.env.PARLAI_TEST_TMPDIR = run;
  process.env.TMPDIR = run;
}
