import { type Hash, createHash } from 'node:crypto';
import { type Dirent, closeSync, openSync, readSync } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../shared/errors.js';
import { compareStrings } from '../shared/text.js';
import type { PathMatcher } from '../shared/globs.js';
import { isManifestPath } from './manifest.js';

/** Files of this size and above go up as multipart uploads, in parts of this size (as the AWS CLI does). */
export const PART_SIZE = 8 * 1024 * 1024;
/** S3's limit on the length of a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
const READ_CHUNK = 1024 * 1024;
/** Directories never deployed: a site build has no business publishing a repository. */
const ALWAYS_SKIPPED_DIRECTORIES = new Set(['.git']);

export interface LocalFile {
  /** POSIX path relative to `source-dir`, kept as-is (spaces, unicode, `+`, `%`). */
  relativePath: string;
  absolutePath: string;
  size: number;
  /** Hex MD5 of the content: S3's ETag for a single-part upload. */
  md5: string;
  /** For files of PART_SIZE and above: the ETag S3 gives a multipart upload in PART_SIZE parts. */
  multipartEtag?: string;
}

export interface ScanOptions {
  exclude: PathMatcher;
  /** Prepended to each path to form its key; only used to enforce S3's key length limit here. */
  keyPrefix: string;
}

/**
 * Hashing yields to the event loop after this many bytes or files, so the bucket listing goes on meanwhile
 * (each page's answer asks for the next: a listing waits while hashing holds the thread).
 */
const YIELD_EVERY_BYTES = 4 * 1024 * 1024;
const YIELD_EVERY_FILES = 500;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

function describe(name: string): string {
  return JSON.stringify(name);
}

function checkName(relativePath: string, keyPrefix: string): void {
  if (CONTROL_CHARACTERS.test(relativePath)) {
    throw new SourceError(
      `File ${describe(relativePath)} has a control character in its name, which S3 keys and URLs cannot carry safely: rename it in the build, or add it to 'exclude'.`,
    );
  }
  const keyBytes = Buffer.byteLength(keyPrefix + relativePath, 'utf8');
  if (keyBytes > MAX_KEY_BYTES) {
    throw new SourceError(
      `File ${describe(relativePath)} would get a ${keyBytes}-byte key; S3 allows ${MAX_KEY_BYTES}: shorten its path or the prefix, or add it to 'exclude'.`,
    );
  }
  if (isManifestPath(relativePath)) {
    throw new SourceError(
      `File ${describe(relativePath)} has the name this action reserves for its deploy manifest: rename it or add it to 'exclude'.`,
    );
  }
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** One read buffer for the whole scan: hashing allocates nothing per file. */
const readBuffer = Buffer.allocUnsafe(READ_CHUNK);

/**
 * Reads a file synchronously in READ_CHUNK pieces into the one shared buffer, handing each piece to `use`
 * before the next read overwrites it. A short read of a regular file is its end: most files of a site take
 * one read and no second call.
 */
function forEachChunk(absolutePath: string, use: (chunk: Buffer) => void): void {
  const descriptor = openSync(absolutePath, 'r');
  try {
    for (;;) {
      const bytesRead = readSync(descriptor, readBuffer, 0, READ_CHUNK, null);
      if (bytesRead === 0) break;
      use(readBuffer.subarray(0, bytesRead));
      if (bytesRead < READ_CHUNK) break;
    }
  } finally {
    closeSync(descriptor);
  }
}

/**
 * MD5 of a file, and its multipart ETag from PART_SIZE up, read synchronously in READ_CHUNK pieces into
 * one reused buffer: for the thousands of small files of a site, this is several times faster than the
 * promise-based API (one thread-pool round trip and one Buffer per call), and never holds a large file in
 * memory. The size is what was read, so a file that changed since it was listed is hashed as it is now.
 */
export function hashFile(absolutePath: string): Pick<LocalFile, 'md5' | 'multipartEtag' | 'size'> {
  const whole = createHash('md5');
  const partDigests: Buffer[] = [];
  let part: Hash | undefined;
  let partFill = 0;
  let size = 0;
  forEachChunk(absolutePath, (chunk) => {
    let view = chunk;
    while (view.length > 0) {
      if (size < PART_SIZE) {
        // The first part is the start of the whole: one hash serves both (a copy is taken at its end).
        const take = Math.min(view.length, PART_SIZE - size);
        whole.update(view.subarray(0, take));
        size += take;
        view = view.subarray(take);
        if (size === PART_SIZE) partDigests.push(whole.copy().digest());
        continue;
      }
      part ??= createHash('md5');
      const take = Math.min(view.length, PART_SIZE - partFill);
      const piece = view.subarray(0, take);
      whole.update(piece);
      part.update(piece);
      size += take;
      partFill += take;
      view = view.subarray(take);
      if (partFill === PART_SIZE) {
        partDigests.push(part.digest());
        part = undefined;
        partFill = 0;
      }
    }
  });
  if (part !== undefined) partDigests.push(part.digest());
  const md5 = whole.digest('hex');
  if (size < PART_SIZE) return { md5, size };
  const multipartEtag = `${createHash('md5').update(Buffer.concat(partDigests)).digest('hex')}-${partDigests.length}`;
  return { md5, multipartEtag, size };
}

/**
 * A file of the build. Its absolute path is made when asked for (to open it), from the root's path and its
 * own: stored, a million of them would take over 100 MB.
 */
class BuildFile implements LocalFile {
  readonly multipartEtag?: string;

  constructor(
    private readonly root: string,
    readonly relativePath: string,
    readonly size: number,
    readonly md5: string,
    multipartEtag: string | undefined,
  ) {
    if (multipartEtag !== undefined) this.multipartEtag = multipartEtag;
  }

  get absolutePath(): string {
    return this.root + this.relativePath;
  }
}

/** `root` with one separator after it: a file's absolute path is this plus its relative path. */
function rootPrefix(root: string): string {
  return path.join(root, path.sep);
}

/** Lists the regular files under `root` (their paths relative to it), following symlinks that stay inside it. */
async function listFiles(root: string, options: ScanOptions): Promise<string[]> {
  const realRoot = await realpath(root);
  const found: string[] = [];
  const visitedDirectories = new Set<string>([realRoot]);
  const pending: Array<{ directory: string; relative: string }> = [{ directory: root, relative: '' }];
  while (pending.length > 0) {
    const { directory, relative } = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      throw new SourceError(
        `Cannot read directory ${describe(relative || '.')} of 'source-dir': ${(error as Error).message}`,
      );
    }
    for (const entry of entries) {
      const relativePath = relative + entry.name;
      if (options.exclude(relativePath)) continue;
      // Made only for what is not a plain file (a link to follow, a directory to walk): the walk of a
      // million files makes no path but each relative one.
      const absolutePath = (): string => path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(absolutePath());
        } catch {
          throw new SourceError(
            `Symlink ${describe(relativePath)} in 'source-dir' is broken: fix or remove it in the build.`,
          );
        }
        if (!isInside(realRoot, target)) {
          throw new SourceError(
            `Symlink ${describe(relativePath)} points outside 'source-dir' (to ${describe(target)}): deploying it could publish files that are not part of the site. Copy the file into the build instead, or add the link to 'exclude'.`,
          );
        }
        const targetStat = await stat(target);
        isDirectory = targetStat.isDirectory();
        isFile = targetStat.isFile();
        if (isDirectory) {
          if (visitedDirectories.has(target)) continue; // a loop, or a second link to a walked directory
          visitedDirectories.add(target);
        }
      }
      if (isDirectory) {
        if (!ALWAYS_SKIPPED_DIRECTORIES.has(entry.name))
          pending.push({ directory: absolutePath(), relative: `${relativePath}/` });
        continue;
      }
      if (!isFile) {
        throw new SourceError(
          `${describe(relativePath)} in 'source-dir' is not a regular file (a socket or device?): remove it or add it to 'exclude'.`,
        );
      }
      checkName(relativePath, options.keyPrefix);
      found.push(relativePath);
    }
  }
  return found;
}

/**
 * Every file to deploy, with its MD5, sorted by path. Throws a SourceError naming the file for anything that
 * cannot be deployed safely; nothing is written before the scan has succeeded.
 */
export async function scanSource(root: string, options: ScanOptions): Promise<LocalFile[]> {
  return startScan(root, options).files;
}

/**
 * The scan in its two parts: `paths`, sorted, as soon as the tree is walked (the bucket listing takes its
 * key ranges from them while the files are hashed), and `files`, hashed. A walk that fails rejects both;
 * `paths` is only a hint, so its rejection needs no handler (`files` carries the error to the caller).
 */
export function startScan(
  root: string,
  options: ScanOptions,
): { paths: Promise<string[]>; files: Promise<LocalFile[]> } {
  const paths = listFiles(root, options).then((found) => found.sort(compareStrings));
  paths.catch(() => undefined);
  return { paths, files: paths.then((found) => hashAll(rootPrefix(root), found)) };
}

async function hashAll(root: string, found: string[]): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  let sinceYield = 0;
  let filesSinceYield = 0;
  for (const relativePath of found) {
    try {
      const hashed = hashFile(root + relativePath);
      files.push(new BuildFile(root, relativePath, hashed.size, hashed.md5, hashed.multipartEtag));
      sinceYield += hashed.size;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new SourceError(
        `Cannot read ${describe(relativePath)} in 'source-dir' (${reason}): make it readable in the build, or add it to 'exclude'.`,
      );
    }
    filesSinceYield += 1;
    if (sinceYield >= YIELD_EVERY_BYTES || filesSinceYield >= YIELD_EVERY_FILES) {
      sinceYield = 0;
      filesSinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return files;
}

/** Refuses a `source-dir` that is missing or not a directory, before anything else is done with it. */
export async function checkSourceDir(root: string, shownAs: string): Promise<void> {
  let info;
  try {
    info = await lstat(root).then((linkInfo) => (linkInfo.isSymbolicLink() ? stat(root) : linkInfo));
  } catch {
    throw new SourceError(
      `'source-dir' ${describe(shownAs)} does not exist (resolved to ${describe(root)}): check the path, and that 'build-command' writes its output there.`,
    );
  }
  if (!info.isDirectory()) {
    throw new SourceError(
      `'source-dir' ${describe(shownAs)} is a file, not a directory: give the directory that holds the built site.`,
    );
  }
}

/**
 * The SHA-256 checksums S3 may keep for this file, base64: of the whole (a single-part write, or a copy) and,
 * from PART_SIZE up, the composite of this action's parts (`…-N`). Read only for the files whose ETag cannot
 * prove their bytes (plan.ts `keysToVerify`).
 */
export function sha256Checksums(absolutePath: string): string[] {
  const whole = createHash('sha256');
  const parts: Buffer[] = [];
  let part = createHash('sha256');
  let partFill = 0;
  forEachChunk(absolutePath, (chunk) => {
    let view = chunk;
    whole.update(view);
    while (view.length > 0) {
      const take = Math.min(view.length, PART_SIZE - partFill);
      part.update(view.subarray(0, take));
      partFill += take;
      view = view.subarray(take);
      if (partFill === PART_SIZE) {
        parts.push(part.digest());
        part = createHash('sha256');
        partFill = 0;
      }
    }
  });
  if (partFill > 0) parts.push(part.digest());
  const checksums = [whole.digest('base64')];
  if (parts.length > 1 || (parts.length === 1 && partFill === 0)) {
    checksums.push(`${createHash('sha256').update(Buffer.concat(parts)).digest('base64')}-${parts.length}`);
  }
  return checksums;
}
