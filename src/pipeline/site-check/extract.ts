import { Buffer } from 'node:buffer';
import { decodeHTMLAttribute } from 'entities/decode';
import { Tokenizer } from 'htmlparser2';
import { readFileSync } from 'node:fs';
import { ownCopy } from '../../shared/text.js';

// What a page or a stylesheet refers to, found with htmlparser2's streaming parser (HTML) and a small CSS
// tokeniser (stylesheets, <style> blocks, style="" attributes). Nothing here resolves a URL: see resolve.ts.

/** One URL as written in a file (entities decoded, nothing else), with the 1-based line it is on. */
export interface RawReference {
  url: string;
  line: number;
}

/** What one HTML page holds: its references, its first `<base href>`, and the fragment targets it offers. */
export interface PageScan {
  references: RawReference[];
  /** The first `<base href>`: every relative URL of the page resolves against it. */
  base?: string;
  /** Values of `id` on any element and of `name` on `<a>`: what `page.html#x` can scroll to. */
  ids: Set<string>;
}

/** 1-based line of a character index, from the offsets of the text's line feeds (found once per file). */
export class Lines {
  private feeds: number[] | undefined;

  constructor(private readonly text: string) {}

  at(index: number): number {
    if (this.feeds === undefined) {
      this.feeds = [];
      for (let at = this.text.indexOf('\n'); at >= 0; at = this.text.indexOf('\n', at + 1)) this.feeds.push(at);
    }
    // The number of line feeds before `index`, by binary search.
    let low = 0;
    let high = this.feeds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.feeds[middle]! < index) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }
}

function linesIn(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/**
 * The elements and attributes that load or link something (HTML's URL-valued attributes that a browser
 * fetches or navigates to). `srcset` is a list of candidates; `<input>`'s `src` only counts for
 * `type=image`; `<link>` is skipped for `rel=preconnect` and `rel=dns-prefetch`, which name origins.
 */
const URL_ATTRIBUTES: ReadonlyMap<string, readonly string[]> = new Map([
  ['a', ['href']],
  ['area', ['href']],
  ['link', ['href']],
  ['script', ['src']],
  ['img', ['src', 'srcset']],
  ['iframe', ['src']],
  ['source', ['src', 'srcset']],
  ['video', ['src', 'poster']],
  ['audio', ['src']],
  ['track', ['src']],
  ['embed', ['src']],
  ['input', ['src']],
  ['object', ['data']],
  // SVG inside HTML.
  ['image', ['href', 'xlink:href']],
  ['use', ['href', 'xlink:href']],
]);

const ORIGIN_ONLY_RELS = new Set(['preconnect', 'dns-prefetch']);

/** HTML's ASCII whitespace (what `rel` tokens and `srcset` candidates are split on). */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

/**
 * The URLs of a `srcset` attribute, each with its offset in the value: HTML's "parse a srcset attribute"
 * (candidates separated by commas, each a URL — which may itself contain commas — then optional descriptors
 * such as `2x` or `480w`, which may hold parenthesised commas).
 */
export function srcsetUrls(value: string): Array<{ url: string; offset: number }> {
  const urls: Array<{ url: string; offset: number }> = [];
  let at = 0;
  while (at < value.length) {
    while (at < value.length && (isSpace(value.charCodeAt(at)) || value[at] === ',')) at += 1;
    if (at >= value.length) break;
    const start = at;
    while (at < value.length && !isSpace(value.charCodeAt(at))) at += 1;
    let url = value.slice(start, at);
    if (url.endsWith(',')) {
      // "a.png," — the URL ends the candidate, which has no descriptors.
      url = url.replace(/,+$/, '');
    } else {
      // Descriptors up to the next comma outside parentheses.
      let depth = 0;
      for (; at < value.length; at += 1) {
        const char = value[at];
        if (char === '(') depth += 1;
        else if (char === ')') depth = Math.max(0, depth - 1);
        else if (char === ',' && depth === 0) break;
      }
    }
    if (url !== '') urls.push({ url, offset: start });
  }
  return urls;
}

/**
 * The URL of a `<meta http-equiv="refresh" content="5; url=next.html">`, with its offset in the value, as
 * HTML's "shared declarative refresh steps" read it: a delay, then `;` or `,`, then optionally `url=`, then
 * the URL, optionally quoted. Undefined when the content holds no URL (a plain reload).
 */
export function refreshUrl(content: string): { url: string; offset: number } | undefined {
  let at = 0;
  while (at < content.length && isSpace(content.charCodeAt(at))) at += 1;
  const delayStart = at;
  while (at < content.length && /[0-9.]/.test(content[at]!)) at += 1;
  if (at === delayStart) return undefined;
  while (at < content.length && (isSpace(content.charCodeAt(at)) || content[at] === ';' || content[at] === ',')) {
    at += 1;
  }
  if (at >= content.length) return undefined;
  if (content.slice(at, at + 3).toLowerCase() === 'url') {
    let after = at + 3;
    while (after < content.length && isSpace(content.charCodeAt(after))) after += 1;
    if (content[after] === '=') {
      at = after + 1;
      while (at < content.length && isSpace(content.charCodeAt(at))) at += 1;
    }
  }
  let end = content.length;
  const quote = content[at];
  if (quote === '"' || quote === "'") {
    at += 1;
    const close = content.indexOf(quote, at);
    if (close >= 0) end = close;
  }
  const url = content.slice(at, end).trim();
  return url === '' ? undefined : { url, offset: at };
}

/** The attributes read at all: anything else is skipped without being copied out of the page. */
const READ_ATTRIBUTES = new Set([
  'id',
  'name',
  'style',
  'href',
  'xlink:href',
  'src',
  'srcset',
  'poster',
  'data',
  'rel',
  'type',
  'http-equiv',
  'content',
]);

/** Length and lower-cased first letter of each name in READ_ATTRIBUTES, as `length << 8 | letter`. */
const MAYBE_READ = new Set([...READ_ATTRIBUTES].map((name) => (name.length << 8) | name.charCodeAt(0)));

/** Each read attribute's slot in {@link TagAttributes}. */
const SLOTS = new Map([...READ_ATTRIBUTES].map((name, index) => [name, index]));

/**
 * The current tag's attributes that matter, with where each starts. A new tag only moves a counter: a Sphinx
 * site has hundreds of thousands of tags, and emptying maps for each one was a measurable share of the check.
 */
class TagAttributes {
  private readonly values: string[] = new Array<string>(SLOTS.size).fill('');
  private readonly starts = new Int32Array(SLOTS.size);
  private readonly tags = new Int32Array(SLOTS.size).fill(-1);
  private tag = 0;
  /** How many attributes of the current tag were read. */
  size = 0;

  next(): void {
    this.tag += 1;
    this.size = 0;
  }

  has(name: string): boolean {
    return this.tags[SLOTS.get(name)!] === this.tag;
  }

  get(name: string): string | undefined {
    const slot = SLOTS.get(name)!;
    return this.tags[slot] === this.tag ? this.values[slot] : undefined;
  }

  start(name: string): number {
    return this.starts[SLOTS.get(name)!]!;
  }

  /** The first value of a name in a tag wins (callers check `has` first). */
  set(name: string, value: string, start: number): void {
    const slot = SLOTS.get(name)!;
    if (this.tags[slot] !== this.tag) this.size += 1;
    this.tags[slot] = this.tag;
    this.values[slot] = value;
    this.starts[slot] = start;
  }
}

const noop = (): void => {};

const NON_ASCII = /[\u0080-\uffff]/;

/** A string read as `latin1` from UTF-8 bytes, as the text those bytes spell. */
function fromUtf8Bytes(text: string): string {
  return NON_ASCII.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text;
}

function same(text: string): string {
  return text;
}

/**
 * Reads a page for {@link scanHtml}: as `latin1`, one character per byte. Every character HTML's syntax is
 * made of is ASCII, and UTF-8 never uses an ASCII byte inside a multi-byte character, so the tokenizer reads
 * the markup exactly as from the decoded text (and line numbers are the same); only the attribute values the
 * check keeps are then decoded from UTF-8. Decoding a whole page is the slowest part of reading it: about
 * 2.5 times the time of `latin1` on ParlAI's Sphinx pages.
 */
export function readPage(absolutePath: string): string {
  return readFileSync(absolutePath, 'latin1');
}

/**
 * Reads one HTML page with htmlparser2's streaming tokenizer — the layer under its `Parser`, without the tag
 * stack and the DOM-like bookkeeping this check does not need (the Parser alone costs more than the whole
 * check's budget on a large Sphinx site). Text is never decoded or copied (only `<style>` blocks are read);
 * entities are decoded, as HTML does in attributes, only in the attribute values used. `xhtml` pages get
 * self-closing tags recognised (`<script src="a.js"/>` does not swallow the rest of the page). `utf8Bytes`: the
 * text is UTF-8 read as `latin1` ({@link readPage}).
 */
export function scanHtml(text: string, options: { xhtml?: boolean; utf8Bytes?: boolean } = {}): PageScan {
  const xhtml = options.xhtml ?? false;
  const text8 = options.utf8Bytes ? fromUtf8Bytes : same;
  const lines = new Lines(text);
  const references: RawReference[] = [];
  const ids = new Set<string>();
  let base: string | undefined;

  // The tag being read: its name is only copied out of the page when one of its attributes matters.
  let tagStart = 0;
  let tagEnd = 0;
  let tag = '';
  // The current tag's attributes that matter (the first of a repeated name wins).
  const values = new TagAttributes();
  let attribute: string | undefined;
  let attributeStart = 0;
  let value = '';
  let inStyle = false;
  let styleStart = -1;
  let styleText = '';

  const add = (url: string, line: number): void => {
    references.push({ url, line });
  };
  const addCss = (css: string, startLine: number): void => {
    for (const found of cssUrls(css)) add(found.url, startLine + linesIn(css, found.offset));
  };
  const lineOf = (name: string): number => lines.at(values.start(name));

  const endTag = (): void => {
    // Everything the tag says, once its attributes are all read.
    const id = values.get('id');
    if (id !== undefined && id !== '') ids.add(id);
    if (tag === 'a') {
      const name = values.get('name');
      if (name !== undefined && name !== '') ids.add(name);
    }
    const style = values.get('style');
    if (style !== undefined && style.includes('(')) addCss(style, lineOf('style'));
    if (tag === 'base') {
      if (base === undefined && values.has('href')) base = values.get('href');
      return;
    }
    if (tag === 'meta' && values.get('http-equiv')?.trim().toLowerCase() === 'refresh') {
      const content = values.get('content') ?? '';
      const found = refreshUrl(content);
      if (found) add(found.url, lineOf('content') + linesIn(content, found.offset));
      return;
    }
    const urlAttributes = URL_ATTRIBUTES.get(tag);
    if (urlAttributes === undefined) return;
    if (tag === 'input' && values.get('type')?.trim().toLowerCase() !== 'image') return;
    if (tag === 'link') {
      const rels = (values.get('rel') ?? '').toLowerCase().split(/[\t\n\f\r ]+/);
      if (rels.some((rel) => ORIGIN_ONLY_RELS.has(rel))) return;
    }
    for (const name of urlAttributes) {
      const url = values.get(name);
      if (url === undefined) continue;
      if (name === 'srcset') {
        const line = lineOf(name);
        for (const candidate of srcsetUrls(url)) add(candidate.url, line + linesIn(url, candidate.offset));
      } else {
        add(url, lineOf(name));
      }
    }
  };

  // A start tag has been read whole. `<style>` starts raw text, also written `<style/>` in HTML (not XHTML).
  const startTag = (selfClosing: boolean): void => {
    if (values.size > 0) {
      tag = text.slice(tagStart, tagEnd).toLowerCase();
      endTag();
    } else if (tagEnd - tagStart === 5) {
      tag = text.slice(tagStart, tagEnd).toLowerCase();
    } else {
      return;
    }
    if (tag === 'style' && !(selfClosing && xhtml)) {
      inStyle = true;
      styleStart = -1;
      styleText = '';
    }
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: false, recognizeSelfClosing: xhtml },
    {
      onopentagname(start, end) {
        tagStart = start;
        tagEnd = end;
        values.next();
      },
      onattribname(start, end) {
        attribute = undefined;
        // Most attributes (class, title, alt, aria-…) are told apart by length and first letter alone.
        if (!MAYBE_READ.has(((end - start) << 8) | (text.charCodeAt(start) | 0x20))) return;
        let name = text.slice(start, end);
        if (!READ_ATTRIBUTES.has(name)) name = name.toLowerCase();
        if (READ_ATTRIBUTES.has(name) && !values.has(name)) {
          attribute = name;
          attributeStart = start;
          value = '';
        }
      },
      onattribdata(start, end) {
        if (attribute !== undefined) value += text.slice(start, end);
      },
      onattribend() {
        if (attribute === undefined) return;
        const text = text8(value);
        values.set(attribute, text.includes('&') ? decodeHTMLAttribute(text) : text, attributeStart);
        attribute = undefined;
      },
      onopentagend() {
        startTag(false);
      },
      onselfclosingtag() {
        startTag(true);
      },
      ontext(start, end) {
        if (!inStyle) return;
        if (styleStart < 0) styleStart = start;
        styleText += text.slice(start, end);
      },
      onclosetag() {
        if (!inStyle) return;
        inStyle = false;
        if (styleStart >= 0) addCss(text8(styleText), lines.at(styleStart));
      },
      onattribentity: noop,
      oncdata: noop,
      oncomment: noop,
      ondeclaration: noop,
      onend: noop,
      onprocessinginstruction: noop,
      ontextentity: noop,
    },
  );
  tokenizer.write(text);
  tokenizer.end();
  const kept = detached([
    ...references.map((reference) => reference.url),
    ...ids,
    ...(base === undefined ? [] : [base]),
  ]);
  const scan: PageScan = {
    references: references.map((reference, index) => ({ url: kept[index]!, line: reference.line })),
    ids: new Set(kept.slice(references.length, references.length + ids.size)),
  };
  if (base !== undefined) scan.base = kept.at(-1)!;
  return scan;
}

/** The references of a stylesheet file (cssUrls builds its URLs afresh: they hold nothing of the text). */
export function scanCss(text: string): RawReference[] {
  const lines = new Lines(text);
  return cssUrls(text).map((found) => ({ url: found.url, line: lines.at(found.offset) }));
}

/**
 * The strings again, no longer pointing into the file they were read from (see ownCopy). As slices, a
 * page's few URLs and ids held the whole page's text alive until the check ended: a dry run of 50,000
 * generated files peaked at 517 MB, 262–276 MB with this (206–224 MB without the check). One join and one
 * split per page copy them into a string that holds only them.
 */
export function detached(strings: string[]): string[] {
  if (strings.length === 0) return strings;
  const copied = strings.join('\0').split('\0');
  // A NUL inside a value would split it: then copy each on its own.
  return copied.length === strings.length ? copied : strings.map(ownCopy);
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

function isNameCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x5f ||
    code >= 0x80
  );
}

/**
 * A CSS escape at `at` (the backslash): CSS Syntax's "consume an escaped code point" — up to six hex digits
 * and one following whitespace, or the next character as itself. Returns the text and where it ends.
 */
function escapeAt(css: string, at: number): { text: string; end: number } {
  let end = at + 1;
  if (end >= css.length) return { text: '\ufffd', end };
  if (!isHex(css.charCodeAt(end))) return { text: String.fromCodePoint(css.codePointAt(end)!), end: end + 1 };
  const start = end;
  while (end < css.length && end - start < 6 && isHex(css.charCodeAt(end))) end += 1;
  const code = parseInt(css.slice(start, end), 16);
  if (end < css.length && isSpace(css.charCodeAt(end))) {
    // "\r\n" counts as one whitespace.
    end += css[end] === '\r' && css[end + 1] === '\n' ? 2 : 1;
  }
  const valid = code !== 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return { text: valid ? String.fromCodePoint(code) : '\ufffd', end };
}

/**
 * A quoted string starting at the quote: its value (escapes applied), where it ends, and whether a newline
 * ended it first (CSS's "bad string", which makes the rule around it invalid).
 */
function stringAt(css: string, at: number): { value: string; end: number; bad?: true } {
  const quote = css[at];
  let value = '';
  let index = at + 1;
  while (index < css.length) {
    const char = css[index]!;
    if (char === quote) return { value, end: index + 1 };
    if (char === '\n') return { value, end: index, bad: true };
    if (char === '\\') {
      const next = css[index + 1];
      if (next === '\n') {
        index += 2; // an escaped newline continues the string
      } else if (next === '\r') {
        index += css[index + 2] === '\n' ? 3 : 2;
      } else {
        const escape = escapeAt(css, index);
        value += escape.text;
        index = escape.end;
      }
      continue;
    }
    value += char;
    index += 1;
  }
  return { value, end: index };
}

function skipSpace(css: string, at: number): number {
  let index = at;
  while (index < css.length) {
    if (isSpace(css.charCodeAt(index))) index += 1;
    else if (css.startsWith('/*', index)) {
      const close = css.indexOf('*/', index + 2);
      index = close < 0 ? css.length : close + 2;
    } else break;
  }
  return index;
}

/**
 * The body of `url(` from just after the parenthesis: a quoted string or an unquoted URL (escapes applied),
 * or undefined for a malformed one (a quote, parenthesis or whitespace inside an unquoted URL), which CSS
 * drops (a "bad url" token).
 */
function urlBody(css: string, at: number): { url: string; offset: number; end: number } | undefined {
  let index = at;
  while (index < css.length && isSpace(css.charCodeAt(index))) index += 1;
  const quote = css[index];
  if (quote === '"' || quote === "'") {
    const string = stringAt(css, index);
    if (string.bad) return undefined;
    const close = skipSpace(css, string.end);
    return css[close] === ')' ? { url: string.value, offset: index + 1, end: close + 1 } : undefined;
  }
  const offset = index;
  let url = '';
  while (index < css.length) {
    const char = css[index]!;
    if (char === ')') return { url, offset, end: index + 1 };
    if (isSpace(char.charCodeAt(0))) {
      const close = skipSpace(css, index);
      return css[close] === ')' ? { url, offset, end: close + 1 } : undefined;
    }
    if (char === '"' || char === "'" || char === '(') return undefined;
    if (char === '\\') {
      const escape = escapeAt(css, index);
      url += escape.text;
      index = escape.end;
      continue;
    }
    url += char;
    index += 1;
  }
  return undefined; // unterminated
}

/**
 * Every `url(…)` and `@import "…"` of a stylesheet, with the offset of the URL in `css`. A small tokeniser
 * after CSS Syntax level 3: comments are skipped, strings are read whole (so a `url(` inside a string or a
 * comment is not a reference), escapes are decoded, and a name ending in `url` (`my-url(`) is not `url(`.
 * A bare fragment (`url(#clip)`) points into the document using the style and is left out.
 */
export function cssUrls(css: string): Array<{ url: string; offset: number }> {
  const found: Array<{ url: string; offset: number }> = [];
  const push = (url: string, offset: number): void => {
    const trimmed = url.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) found.push({ url: trimmed, offset });
  };
  let index = 0;
  while (index < css.length) {
    const char = css[index]!;
    if (char === '/' && css[index + 1] === '*') {
      const close = css.indexOf('*/', index + 2);
      index = close < 0 ? css.length : close + 2;
    } else if (char === '"' || char === "'") {
      index = stringAt(css, index).end;
    } else if (char === '\\') {
      index = escapeAt(css, index).end;
    } else if (char === '@' && css.slice(index + 1, index + 7).toLowerCase() === 'import') {
      index = skipSpace(css, index + 7);
      const next = css[index];
      if (next === '"' || next === "'") {
        const string = stringAt(css, index);
        if (!string.bad) push(string.value, index + 1);
        index = string.end;
      }
      // `@import url(…)` is found by the next round.
    } else if (
      (char === 'u' || char === 'U') &&
      css.slice(index, index + 4).toLowerCase() === 'url(' &&
      (index === 0 || !isNameCode(css.charCodeAt(index - 1)))
    ) {
      const body = urlBody(css, index + 4);
      if (body) {
        push(body.url, body.offset);
        index = body.end;
      } else {
        index += 4;
      }
    } else if (isNameCode(css.charCodeAt(index))) {
      // Skip the rest of a name at once, so `my-url(` is never looked at from its `u`.
      while (index < css.length && isNameCode(css.charCodeAt(index))) index += 1;
    } else {
      index += 1;
    }
  }
  return found;
}
