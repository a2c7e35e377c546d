import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { DeployError } from './errors.js';

/**
 * Runs `build-command` with bash (`-e -o pipefail`, as a workflow `run:` step does) in a log group, its
 * output streamed. A non-zero exit fails the step before anything touches the bucket.
 */
export async function runBuild(command: string, workingDirectory: string): Promise<void> {
  const exitCode = await core.group(`Build: ${command}`, () =>
    exec.exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
      cwd: workingDirectory,
      ignoreReturnCode: true,
    }),
  );
  if (exitCode !== 0) {
    throw new DeployError(
      `Input 'build-command' exited with code ${exitCode}; nothing was deployed. See the "Build" log group above.`,
    );
  }
}
