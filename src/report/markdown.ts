// Text from the bucket, the build and the services goes into Markdown (the job summary, the pull-request
// comment) only through these: one line, no raw HTML, bounded, and as inert code spans where it is a name.
import { untrustedParts } from '../shared/text.js';

/** One line: CR and LF would end a Markdown list item or table row; other control characters are dropped. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/**
 * Plain text in Markdown: no raw HTML (a message could hold `</details>`), no emphasis, links or tables;
 * the parts of it read from the bucket (marked with `untrusted`) as code spans.
 */
export function plain(text: string, max = 1000): string {
  return untrustedParts(text)
    .map((part) => (part.untrusted ? code(part.text) : escaped(part.text, max)))
    .join('');
}

function escaped(text: string, max: number): string {
  const line = oneLine(text);
  const bounded = line.length > max ? `${line.slice(0, max)}…` : line;
  return bounded
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|!#~])/g, '\\$1');
}

/** A CommonMark code span: a fence longer than any backtick run inside, padded where the text touches one. */
export function code(text: string): string {
  const content = oneLine(text);
  const longestRun = Math.max(0, ...[...content.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A Markdown link whose text is a name (escaped) and whose target is a URL we built (percent-encoded). */
export function link(text: string, url: string): string {
  return `[${plain(text)}](${url.replace(/[()\s<>]/g, encodeURIComponent)})`;
}
