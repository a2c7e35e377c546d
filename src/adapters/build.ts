import * as exec from '@actions/exec';
import { issueCommand } from '../shared/workflow-commands.js';

/**
 * Runs `build-command` with bash (`-e -o pipefail`, as a workflow `run:` step does) in a log group, its output
 * streamed; resolves to the exit code. The command gets `env` and nothing else (not this process's
 * environment): see context/build-env.ts.
 */
export async function runBuild(
  command: string,
  workingDirectory: string,
  env: Record<string, string>,
  options: { group: boolean } = { group: true },
): Promise<number> {
  const run = () =>
    exec.exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
      cwd: workingDirectory,
      env,
      ignoreReturnCode: true,
    });
  // A log group on the runner; on a terminal (local runs) a plain title line, no `::group::` command.
  if (options.group) {
    issueCommand('group', `Build: ${command}`);
    try {
      return await run();
    } finally {
      issueCommand('endgroup');
    }
  }
  process.stdout.write(`Build: ${command}\n`);
  return run();
}
