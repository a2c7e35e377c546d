import { Readable } from 'node:stream';
import type { DeserializeMiddleware, HttpResponse } from '@smithy/types';
import { decodeXML } from 'entities/decode';
import { Tokenizer } from 'htmlparser2';
import type { RemoteObject } from '../../pipeline/plan.js';
import { ownCopy } from '../../shared/text.js';
import { unquote } from './compat.js';

// A ListObjectsV2 page read straight from its XML. The SDK's own reading (a generic XML parser, then its
// schema walk) costs about 25 µs and a dozen objects per key: at a million keys, more CPU and garbage than
// everything else a no-change deploy does. htmlparser2's tokenizer (already here for the site check)
// reads only the five elements used, in 2-3 µs. The SDK still sends, signs, retries and reads errors: this
// middleware only takes the body of a 200 answer it recognises, and hands the SDK an empty listing.

export interface ListingPage {
  objects: RemoteObject[];
  truncated: boolean;
  nextToken?: string;
}

const FIELDS = new Set(['Key', 'ETag', 'Size', 'LastModified', 'IsTruncated', 'NextContinuationToken']);
const noop = (): void => undefined;

/** The page, or undefined when the body is not a ListBucketResult (the SDK then reads it as usual). */
export function parseListingXml(xml: string): ListingPage | undefined {
  const objects: RemoteObject[] = [];
  const page: ListingPage = { objects, truncated: false };
  const open: string[] = [];
  let field: string | undefined;
  let text = '';
  let object: { key?: string; etag?: string; size?: number; lastModified?: Date } | undefined;
  let root: string | undefined;
  const value = (): string => (text.includes('&') ? decodeXML(text) : text);
  // Every key is kept for the run: copied out of the page (a decoded value already is a copy).
  const own = (): string => (text.includes('&') ? decodeXML(text) : ownCopy(text));

  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      onopentagname(start, end) {
        const name = xml.slice(start, end);
        root ??= name;
        open.push(name);
        const depth = open.length;
        if (depth === 2 && name === 'Contents') object = {};
        field = FIELDS.has(name) && (depth === 2 || (depth === 3 && object !== undefined)) ? name : undefined;
        text = '';
      },
      ontext(start, end) {
        if (field !== undefined) text += xml.slice(start, end);
      },
      onclosetag(start, end) {
        const name = xml.slice(start, end);
        if (open.pop() !== name) throw new Error(`malformed listing: </${name}>`);
        if (field === name) {
          if (open.length === 2 && object) {
            if (name === 'Key') object.key = own();
            else if (name === 'ETag') object.etag = value();
            else if (name === 'Size') object.size = Number(text);
            else if (name === 'LastModified') object.lastModified = dateOf(text);
          } else if (open.length === 1) {
            if (name === 'IsTruncated') page.truncated = text.trim() === 'true';
            else if (name === 'NextContinuationToken') page.nextToken = value();
          }
        }
        field = undefined;
        if (name === 'Contents' && open.length === 1 && object) {
          if (object.key !== undefined) {
            objects.push({
              key: object.key,
              etag: unquote(object.etag),
              size: Number.isFinite(object.size) ? object.size! : 0,
              lastModified:
                object.lastModified && !Number.isNaN(object.lastModified.getTime()) ? object.lastModified : undefined,
            });
          }
          object = undefined;
        }
      },
      onopentagend: noop,
      onselfclosingtag() {
        open.pop();
        field = undefined;
      },
      onattribname: noop,
      onattribdata: noop,
      onattribend: noop,
      onattribentity: noop,
      ontextentity: noop,
      oncdata: noop,
      oncomment: noop,
      ondeclaration: noop,
      onprocessinginstruction: noop,
      onend: noop,
    },
  );
  try {
    tokenizer.write(xml);
    tokenizer.end();
  } catch {
    return undefined; // mismatched tags: the SDK's parser reads it, and says what is wrong
  }
  return root === 'ListBucketResult' && open.length === 0 ? page : undefined;
}

/** One Date per distinct LastModified (a deploy's objects share a few hundred seconds), never changed. */
const dates = new Map<string, Date>();
function dateOf(text: string): Date {
  let date = dates.get(text);
  if (date === undefined) {
    if (dates.size >= 10_000) dates.clear();
    date = new Date(text);
    dates.set(ownCopy(text), date);
  }
  return date;
}

const EMPTY_LISTING = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult></ListBucketResult>';

/**
 * A deserialize-step middleware (innermost: it sees the raw answer before the SDK's deserializer) that reads
 * a 200 ListBucketResult into `into.page` and gives the SDK an empty one to read. Anything else — an error,
 * a body it does not recognise — passes through untouched.
 */
export function leanListing<Input extends object, Output extends object>(into: {
  page?: ListingPage;
}): DeserializeMiddleware<Input, Output> {
  return (next) => async (args) => {
    const result = await next(args);
    const response = result.response as HttpResponse;
    if (response.statusCode !== 200 || !response.body) return result;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const page = parseListingXml(body.toString('utf8'));
    into.page = page;
    response.body = bodyStream(page ? Buffer.from(EMPTY_LISTING) : body);
    return result;
  };
}

/** A body the SDK can read again: a stream, as the HTTP handler gives. */
function bodyStream(bytes: Buffer): Readable {
  return Readable.from([bytes]);
}
