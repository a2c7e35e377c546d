// Tests of "a file the action cannot read" need a process that file permissions apply to. Root reads
// everything (CAP_DAC_OVERRIDE), so as root the action runs under `setpriv` with every capability dropped:
// still uid 0, so it reaches the checkout and the node binary wherever they are (a 0700 clone included), but
// mode 000 now means unreadable. Whether that works is probed once, up front, by reading a mode-000 file the
// same way; where it does not, the caller skips the test and prints the reason.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, RUNNER_NODE } from './action-runner.js';
import { tempDir } from './cleanup.js';

export type Unprivileged = { wrapper: string[]; how: string; skip?: undefined } | { skip: string };

const DROP_CAPABILITIES = ['setpriv', '--bounding-set=-all', '--inh-caps=-all', '--ambient-caps=-all'];

// Prints EACCES when the file is unreadable and the bundle readable, as the action would meet them.
const PROBE = `
const fs = require('node:fs');
fs.accessSync(process.argv[2], fs.constants.R_OK);
try { fs.readFileSync(process.argv[1]); console.log('READABLE'); } catch (error) { console.log(error.code); }
`;

let cached: Unprivileged | undefined;

export function unprivileged(): Unprivileged {
  if (cached) return cached;
  const file = path.join(tempDir('privilege-probe'), 'unreadable');
  writeFileSync(file, 'x');
  chmodSync(file, 0o000);
  const isRoot = process.getuid?.() === 0;
  const candidate = isRoot
    ? { wrapper: DROP_CAPABILITIES, how: 'as root with every capability dropped (setpriv)' }
    : { wrapper: [], how: `as this user (uid ${process.getuid?.()})` };
  const [command, ...args] = [...candidate.wrapper, RUNNER_NODE, '-e', PROBE, file, path.join(REPO, 'dist/index.js')];
  const probe = spawnSync(command!, args, { encoding: 'utf8', timeout: 10_000 });
  const answer = probe.stdout?.trim();
  if (answer === 'EACCES') cached = candidate;
  else {
    const why = probe.error
      ? `${command} could not run (${probe.error.message})`
      : answer === 'READABLE'
        ? 'a mode-000 file was still readable'
        : `the probe failed (exit ${probe.status}): ${(probe.stderr || probe.stdout || '').trim().split('\n')[0]}`;
    cached = {
      skip: isRoot
        ? `running as root, and dropping root's capabilities did not work here: ${why}`
        : `${why} (this user bypasses file permissions)`,
    };
  }
  return cached;
}
