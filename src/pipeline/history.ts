import { Refusal } from '../shared/errors.js';
import { untrusted } from '../shared/text.js';
import { HISTORY_LENGTH, type HistoryEntry, type Manifest } from './manifest.js';
import type { Counts } from './outcome.js';

// The deploy history of a prefix: the last HISTORY_LENGTH deploys and rollbacks, newest first, in the
// manifest's header. Each names the manifest version that holds its entries (and so the object versions a
// rollback restores); a deploy that wrote nothing is not recorded (it made no write at all).

/** `20261202T051500Z-3f2a9c1`: when, and which commit (or `local`); made unique among the recorded ones. */
export function newDeployId(now: Date, commit: string, history: readonly HistoryEntry[]): string {
  const time = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = `${time}-${/^[0-9a-f]{7,40}$/i.test(commit) ? commit.slice(0, 7).toLowerCase() : 'local'}`;
  const taken = new Set(history.map((entry) => entry.id));
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

export interface RecordedRun {
  id: string;
  kind: HistoryEntry['kind'];
  result: HistoryEntry['result'];
  at: Date;
  commit?: string;
  run: { id: string; url?: string };
  counts: Counts;
  restored?: string;
}

/** The history with this run added first, the oldest beyond HISTORY_LENGTH dropped. */
export function withRun(history: readonly HistoryEntry[], run: RecordedRun): HistoryEntry[] {
  const { counts } = run;
  const entry: HistoryEntry = {
    id: run.id,
    kind: run.kind,
    result: run.result,
    at: run.at.toISOString(),
    ...(run.commit && /^[0-9a-f]{7,40}$/i.test(run.commit) ? { commit: run.commit.toLowerCase() } : {}),
    run: run.run.id,
    ...(run.run.url ? { runUrl: run.run.url } : {}),
    ...(run.restored ? { restored: run.restored } : {}),
    uploaded: counts.new + counts.changed + counts.headers,
    deleted: counts.deleted,
    unchanged: counts.unchanged,
  };
  return [entry, ...history].slice(0, HISTORY_LENGTH);
}

/**
 * The deploy `rollback-to` names: `previous` (the newest successful deploy before the one live now), a deploy
 * id, or a commit SHA (its newest successful deploy). Refuses, saying what was found, when none matches.
 */
export function resolveRollbackTarget(manifest: Manifest, wanted: string, target: string): HistoryEntry {
  const { history } = manifest;
  const deployed = (entry: HistoryEntry) => entry.result === 'deployed';
  let found: HistoryEntry | undefined;
  if (wanted === 'previous') found = history.slice(1).find(deployed);
  else
    found =
      history.find((entry) => entry.id === wanted) ??
      history.find((entry) => entry.commit?.startsWith(wanted.toLowerCase()) && deployed(entry));
  if (!found) {
    const known = history.slice(0, 5).map((entry) => `${untrusted(entry.id)} (${entry.result}, ${entry.at})`);
    const listed =
      known.length > 0 ? `The last deploys recorded: ${known.join(', ')}.` : 'No deploy of it is recorded yet.';
    throw new Refusal(
      `Input 'rollback-to': ${wanted === 'previous' ? 'there is no earlier successful deploy' : `no deploy ${untrusted(wanted)}`} of ${target} is recorded in its deploy history. ${listed} Give one of those ids, a commit SHA one of them deployed, or 'previous'.`,
      'rollback-to',
    );
  }
  if (found.result !== 'deployed') {
    throw new Refusal(
      `Input 'rollback-to': deploy ${untrusted(found.id)} of ${target} failed, so what it left is not a whole site: roll back to a deploy that succeeded (the summary lists the last five).`,
      'rollback-to',
    );
  }
  return found;
}
