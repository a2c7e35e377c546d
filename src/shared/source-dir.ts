import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './errors.js';

// Where `source-dir` may point: inside the workspace (GITHUB_WORKSPACE, or the current directory in a local
// run) unless `allow-source-outside-workspace` says otherwise, and never at the runner's temp folder or a
// folder holding the runner's file-command files (GITHUB_ENV, GITHUB_OUTPUT, …) — whatever is in the folder
// given is made public. Checked twice: on the path as written, before anything runs, and after the build on
// the real path (symlinks followed), before anything is read or written.

/** What `source-dir` is checked against; every path absolute. */
export interface SourceBounds {
  /** GITHUB_WORKSPACE, or the current directory in a local run. */
  workspace: string;
  /** `source-dir` may be outside `workspace` (`allow-source-outside-workspace: true`). */
  allowOutsideWorkspace: boolean;
  /** RUNNER_TEMP, when set: never the source, never inside it. */
  runnerTemp?: string;
  /** The runner's file-command files (GITHUB_ENV, GITHUB_PATH, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY). */
  runnerFiles: string[];
}

const FILE_COMMANDS = ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];

/** The bounds from the environment: `cwd` is the workspace of a local run. */
export function sourceBounds(env: NodeJS.ProcessEnv, cwd: string, allowOutsideWorkspace: boolean): SourceBounds {
  const workspace = path.resolve(cwd, env.GITHUB_WORKSPACE?.trim() || '.');
  const runnerTemp = env.RUNNER_TEMP?.trim() ? path.resolve(cwd, env.RUNNER_TEMP.trim()) : undefined;
  const runnerFiles = FILE_COMMANDS.flatMap((name) => {
    const file = env[name]?.trim();
    return file ? [path.resolve(cwd, file)] : [];
  });
  return { workspace, allowOutsideWorkspace, runnerTemp, runnerFiles };
}

/** `inner` is `outer` or below it (both absolute and normalised). */
export function isWithin(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * Why `source` (absolute) may not be deployed under `bounds`, as an InputError naming the input and the fix;
 * undefined when it may. Pure: the caller resolves symlinks first, or checks the path as written.
 */
export function sourceDirProblem(source: string, shownAs: string, bounds: SourceBounds): InputError | undefined {
  const shown = shownAs === source ? `'${source}'` : `'${shownAs}' (${source})`;
  if (!bounds.allowOutsideWorkspace && !isWithin(source, bounds.workspace)) {
    return new InputError(
      'source-dir',
      `${shown} is outside the workspace ${bounds.workspace} (GITHUB_WORKSPACE, or the current directory in a local run): give the build's output folder inside the checkout, like 'website/build' (relative to 'working-directory'). To deploy a folder outside the workspace on purpose, set 'allow-source-outside-workspace: true'.`,
    );
  }
  const { runnerTemp } = bounds;
  // Below RUNNER_TEMP is allowed with allow-source-outside-workspace (a downloaded artifact), as long as
  // no runner file is in it; RUNNER_TEMP itself, or a folder holding it, never.
  if (runnerTemp && isWithin(runnerTemp, source)) {
    return new InputError(
      'source-dir',
      `${shown} is or holds the runner's temp folder (RUNNER_TEMP ${runnerTemp}), where the runner keeps the files behind GITHUB_ENV and GITHUB_OUTPUT: it is never deployed. Give the folder your build writes the site to, like 'website/build'.`,
    );
  }
  const runnerFile = bounds.runnerFiles.find((file) => isWithin(file, source));
  if (runnerFile) {
    return new InputError(
      'source-dir',
      `${shown} holds a file of the runner's workflow commands (${runnerFile}): it is never deployed. Give the folder your build writes the site to, like 'website/build'.`,
    );
  }
  return undefined;
}

async function realOrSame(file: string): Promise<string> {
  return realpath(file).catch(() => file);
}

/**
 * The check on real paths (symlinks followed, in `source-dir` and in the bounds), once `source-dir` exists:
 * throws the InputError of `sourceDirProblem`.
 */
export async function confineSourceDir(source: string, shownAs: string, bounds: SourceBounds): Promise<void> {
  const real = await realOrSame(source);
  const realBounds: SourceBounds = {
    workspace: await realOrSame(bounds.workspace),
    allowOutsideWorkspace: bounds.allowOutsideWorkspace,
    runnerTemp: bounds.runnerTemp === undefined ? undefined : await realOrSame(bounds.runnerTemp),
    runnerFiles: await Promise.all(bounds.runnerFiles.map(realOrSame)),
  };
  const problem = sourceDirProblem(real, shownAs, realBounds);
  if (problem) throw problem;
}
