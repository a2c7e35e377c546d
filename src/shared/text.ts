// Text helpers shared by the log, the job summary and the pull-request comment, and the readers of large
// texts (listing pages, the build's pages).

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Marks text from the bucket inside a message: the report shows it as inert code (see `untrustedParts`). */
export const UNTRUSTED_START = '\uE000';
export const UNTRUSTED_END = '\uE001';

/**
 * Text read from the bucket (a claim's run, a key), marked so that wherever the message is shown it is
 * inert: a code span in Markdown (GitHub neither links a URL nor notifies an `@mention` there), backquoted
 * in the log. Bounded to 200 characters, one line.
 */
export function untrusted(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is dropped
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\uE000\uE001]/g, '');
  return `${UNTRUSTED_START}${clean.length > 200 ? `${clean.slice(0, 200)}…` : clean}${UNTRUSTED_END}`;
}

/** A message split into its own text and the untrusted parts marked in it. */
export function untrustedParts(message: string): Array<{ text: string; untrusted: boolean }> {
  const parts: Array<{ text: string; untrusted: boolean }> = [];
  const pattern = new RegExp(`${UNTRUSTED_START}([^${UNTRUSTED_END}]*)${UNTRUSTED_END}`, 'g');
  let last = 0;
  for (const match of message.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: message.slice(last, match.index), untrusted: false });
    parts.push({ text: match[1]!, untrusted: true });
    last = match.index + match[0].length;
  }
  if (last < message.length) parts.push({ text: message.slice(last), untrusted: false });
  return parts.map((part) =>
    part.untrusted ? part : { text: part.text.replace(/[\uE000\uE001]/g, ''), untrusted: false },
  );
}

/** The message for a plain-text log: untrusted parts in backquotes. */
export function logText(message: string): string {
  return untrustedParts(message)
    .map((part) => (part.untrusted ? `\`${part.text}\`` : part.text))
    .join('');
}

/**
 * The text in a string of its own. V8 keeps a substring as a slice of its parent, so a short string read out
 * of a large one (a key out of a listing page, a URL out of a page) keeps all of the parent alive.
 */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
