import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

// The runner's workflow commands and environment files, as @actions/core 3.0.1 writes them (lib/command.js,
// lib/file-command.js, lib/core.js), for the few this action uses. Written here rather than imported because
// @actions/core loads its OIDC client, and with it undici (900 KB), at import: measured with the ParlAI website,
// a no-change deploy spent 30 ms of wall time and 60 ms of CPU compiling code it never calls. The escaping is
// the runner's protocol (docs: "Workflow commands for GitHub Actions"); __tests__/shared/workflow-commands.test.ts
// checks it against @actions/core itself, which stays a development dependency for that.

/** An annotation's place: written as `title=…,file=…,line=…`, in that order (@actions/core's). */
export interface CommandProperties {
  title?: string;
  file?: string;
  line?: number;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message` on stdout (properties with no value are left out, as @actions/core does). */
export function issueCommand(name: string, message = '', properties: CommandProperties = {}): void {
  const ordered = { title: properties.title, file: properties.file, line: properties.line };
  const fields = Object.entries(ordered)
    .filter(([, value]) => value !== undefined && value !== '' && value !== 0)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  const head = fields.length > 0 ? `${name} ${fields.join(',')}` : name;
  process.stdout.write(`::${head}::${escapeData(message)}${EOL}`);
}

/** One output in the GITHUB_OUTPUT file: `name<<delimiter`, the value, the delimiter (a fresh UUID each). */
export function setOutput(name: string, value: string, file = process.env.GITHUB_OUTPUT): void {
  if (!file) throw new Error('GITHUB_OUTPUT is not set: outputs can only be set on the runner.');
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`output ${name}: contains the delimiter ${delimiter}`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** Appends Markdown to the job summary file, when the runner gives one. */
export function appendSummary(markdown: string, file = process.env.GITHUB_STEP_SUMMARY): void {
  if (file) appendFileSync(file, markdown, { encoding: 'utf8' });
}
