// jest globalTeardown: fails the run (non-zero exit) if the tests left anything in the run's temp folder,
// listing what, then removes the folder in any case. See global-setup.mjs.
import { removeRunFolder } from './run-folder.mjs';

export default function globalTeardown() {
  const run = process.env.PARLAI_TEST_TMPDIR;
  if (!run) return;
  process.env.TMPDIR = process.env.PARLAI_TEST_PARENT_TMPDIR;
  const left = removeRunFolder(run);
  if (left.length > 0) {
    const shown = left.slice(0, 40).map((name) => `  ${name}`);
    if (left.length > 40) shown.push(`  … and ${left.length - 40} more`);
    throw new Error(
      `The tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their temp folder ${run} ` +
        `(now removed): every test must remove what it creates, also when it fails ` +
        `(tempDir() in __tests__/support/cleanup.ts does):\n${shown.join('\n')}`,
    );
  }
}
