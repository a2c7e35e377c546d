// What the runner makes of a line of a step's stdout. The runner (actions/runner, ActionCommandManager) tries
// two parsers on every line, in turn:
//   V2: the line, with its leading white space trimmed (.NET TrimStart), starts with `::` — `::name props::data`;
//   V1: the line contains `##[` ANYWHERE — `##[name props]data` — the older syntax, still parsed.
// A registered command name (case-insensitive) makes the line a command. This models both, so a test can say
// which printed line the runner would obey.

/** The runner's command names (its command extensions and stop-commands), compared case-insensitively. */
const REGISTERED = new Set([
  'add-mask',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
]);

/** The command the runner would take this stdout line for, or null: `{ parser, name }`. */
export function runnerCommand(line: string): { parser: 'V2' | 'V1'; name: string } | null {
  // V2 first. JavaScript's trimStart() trims the same white space as .NET's TrimStart() (and U+FEFF).
  const trimmed = line.trimStart();
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) {
      const info = trimmed.slice(2, end);
      const name = (info.includes(' ') ? info.slice(0, info.indexOf(' ')) : info).toLowerCase();
      if (REGISTERED.has(name)) return { parser: 'V2', name };
    }
  }
  const prefix = line.indexOf('##[');
  if (prefix < 0) return null;
  const close = line.indexOf(']', prefix);
  if (close < 0) return null;
  const info = line.slice(prefix + 3, close);
  const name = (info.includes(' ') ? info.slice(0, info.indexOf(' ')) : info).toLowerCase();
  return REGISTERED.has(name) ? { parser: 'V1', name } : null;
}
