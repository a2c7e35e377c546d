import type { ObjectHeaders } from './headers.js';
import type { Change, ChangeKind } from './outcome.js';
import { type Plan, planChanges } from './plan.js';

// The plan as lines of text, printed before any write: per change its key (and, for a header-only change,
// old → new, and the rule behind the new ones), then, per rule, the headers the files it covers get.

const LISTED_PER_KIND = 500;

const KIND_COUNT: Record<ChangeKind, string> = {
  new: 'new',
  changed: 'changed',
  headers: 'header updates',
  deleted: 'deleted',
};

/** `Content-Type a → b; Cache-Control c → d`, naming only what differs. */
export function headerDifference(previous: ObjectHeaders | undefined, next: ObjectHeaders): string {
  if (!previous) return `Content-Type ${next.contentType}; Cache-Control ${next.cacheControl} (previous not known)`;
  const parts: string[] = [];
  if (previous.contentType !== next.contentType) {
    parts.push(`Content-Type ${previous.contentType || '(none)'} → ${next.contentType}`);
  }
  if (previous.cacheControl !== next.cacheControl) {
    parts.push(`Cache-Control ${previous.cacheControl || '(none)'} → ${next.cacheControl}`);
  }
  return parts.join('; ');
}

/** Shown for a change whose rule was not recorded. */
export const UNKNOWN_RULE = 'rule not recorded';

export interface HeaderGroup {
  /** The rule that gave these headers: a user glob of `cache-control` / `content-type`, or a default. */
  rule: string;
  headers: ObjectHeaders;
  count: number;
  /** A few of the keys, for orientation. */
  examples: string[];
}

/**
 * Written objects grouped by the rule that gave them their headers (and, within a rule, by the headers: one
 * default covers several content types). The rule with the most files first; within it, the largest group.
 */
export function headerGroups(changes: readonly Change[]): HeaderGroup[] {
  const groups = new Map<string, HeaderGroup>();
  const perRule = new Map<string, number>();
  for (const change of changes) {
    if (!change.headers) continue;
    const rule = change.rule ?? UNKNOWN_RULE;
    const id = `${rule}\n${change.headers.contentType}\n${change.headers.cacheControl}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { rule, headers: change.headers, count: 0, examples: [] }));
    group.count += 1;
    perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
    if (group.examples.length < 3) group.examples.push(change.key);
  }
  return [...groups.values()].sort(
    (a, b) =>
      perRule.get(b.rule)! - perRule.get(a.rule)! ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
      b.count - a.count,
  );
}

/** `rule     default: HTML page — 5 file(s) get Content-Type: … · Cache-Control: … (a.html, b.html, …)` */
export function headerGroupLine(group: HeaderGroup): string {
  const more = group.count > group.examples.length ? ', …' : '';
  return `rule     ${group.rule} — ${group.count} file(s) get Content-Type: ${group.headers.contentType} · Cache-Control: ${group.headers.cacheControl} (${group.examples.join(', ')}${more})`;
}

/** The plan as a title and lines; `changes` are the plan's, when the caller has them already. */
export function planLines(
  plan: Plan,
  limits: string,
  changes: readonly Change[] = planChanges(plan),
): { title: string; lines: string[] } {
  const byKind = (kind: ChangeKind) => changes.filter((change) => change.kind === kind);
  const kinds: ChangeKind[] = ['new', 'changed', 'headers', 'deleted'];
  const counts = kinds.map((kind) => `${byKind(kind).length} ${KIND_COUNT[kind]}`).join(', ');
  const title = `Plan: ${counts}, ${plan.unchanged.length} unchanged (${limits})`;
  const lines: string[] = [];
  for (const kind of kinds) {
    const listed = byKind(kind);
    for (const change of listed.slice(0, LISTED_PER_KIND)) {
      const rule = change.rule ? ` (${change.rule})` : '';
      const detail = kind === 'headers' ? `: ${headerDifference(change.previous, change.headers!)}${rule}` : '';
      lines.push(`${kind.padEnd(8)} ${change.key}${detail}`);
    }
    if (listed.length > LISTED_PER_KIND) lines.push(`${kind.padEnd(8)} … and ${listed.length - LISTED_PER_KIND} more`);
  }
  for (const group of headerGroups(changes)) lines.push(headerGroupLine(group));
  if (plan.otherDeployments.length > 0) {
    lines.push(`kept     other deployments under: ${plan.otherDeployments.join(', ')}`);
  }
  if (plan.excludedRemote > 0) lines.push(`kept     ${plan.excludedRemote} remote objects matched by 'exclude'`);
  for (const { key, until } of plan.retained.slice(0, LISTED_PER_KIND)) {
    lines.push(`kept     ${key} (gone from the build; deleted after ${until.toISOString()}, 'asset-grace-period')`);
  }
  return { title, lines };
}
