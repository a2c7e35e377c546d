import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SourceError } from '../../src/shared/errors.js';
import { compileGlob } from '../../src/shared/globs.js';
import { MANIFEST_NAME } from '../../src/pipeline/manifest.js';
import { PART_SIZE, checkSourceDir, hashFile, scanSource } from '../../src/pipeline/scan.js';

let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'scan-site-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'scan-outside-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function put(relativePath: string, content: string | Buffer = relativePath): void {
  const target = path.join(root, relativePath);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
}

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
const scan = (options: { exclude?: string[]; keyPrefix?: string } = {}) =>
  scanSource(root, {
    exclude: (p) => (options.exclude ?? []).some((pattern) => compileGlob(pattern)(p)),
    keyPrefix: options.keyPrefix ?? '',
  });

describe('scanSource', () => {
  it('finds every file with its POSIX path, size and MD5, sorted, names kept as-is', async () => {
    const names = [
      'index.html',
      'docs/a b.html',
      'docs/c++.html',
      'docs/100%.html',
      'ünï/cödé.md',
      'empty.txt',
      '.well-known/security.txt',
    ];
    for (const name of names) put(name, name === 'empty.txt' ? '' : `content of ${name}`);
    const files = await scan();
    expect(files.map((file) => file.relativePath)).toEqual([...names].sort());
    for (const file of files) {
      const content = file.relativePath === 'empty.txt' ? '' : `content of ${file.relativePath}`;
      expect(file.md5).toBe(md5(content));
      expect(file.size).toBe(Buffer.byteLength(content));
      expect(file.absolutePath).toBe(path.join(root, file.relativePath));
      expect(file.multipartEtag).toBeUndefined();
    }
  });

  it('skips excluded files and whole excluded directories', async () => {
    put('index.html');
    put('drafts/a.html');
    put('x/debug.log');
    const files = await scan({ exclude: ['drafts', '*.log'] });
    expect(files.map((file) => file.relativePath)).toEqual(['index.html']);
  });

  it('never deploys a .git directory', async () => {
    put('index.html');
    put('.git/config', '[core]');
    put('sub/.git/HEAD', 'ref');
    put('.gitignore', 'x');
    expect((await scan()).map((file) => file.relativePath)).toEqual(['.gitignore', 'index.html']);
  });

  it('follows symlinks that stay inside the site, keyed by the link path', async () => {
    put('real/page.html', 'page');
    symlinkSync(path.join(root, 'real/page.html'), path.join(root, 'alias.html'));
    symlinkSync('real', path.join(root, 'linked-dir'));
    const files = await scan();
    expect(files.map((file) => [file.relativePath, file.md5])).toEqual([
      ['alias.html', md5('page')],
      ['linked-dir/page.html', md5('page')],
      ['real/page.html', md5('page')],
    ]);
  });

  it('survives a symlink loop', async () => {
    put('a/index.html', 'x');
    symlinkSync('..', path.join(root, 'a/up'));
    const files = await scan();
    expect(files.map((file) => file.relativePath)).toEqual(['a/index.html']);
  });

  it.each([
    ['a file', (target: string) => writeFileSync(target, 'secret')],
    ['a directory', (target: string) => mkdirSync(target)],
  ])('refuses a symlink that points outside the site (%s), naming the link', async (_kind, create) => {
    put('index.html');
    const target = path.join(outside, 'target');
    create(target);
    mkdirSync(path.join(root, 'docs'));
    symlinkSync(target, path.join(root, 'docs/escape'));
    await expect(scan()).rejects.toThrow(SourceError);
    await expect(scan()).rejects.toThrow(/Symlink "docs\/escape" points outside 'source-dir'/);
  });

  it('accepts an outside symlink the user excluded', async () => {
    put('index.html');
    symlinkSync(outside, path.join(root, 'escape'));
    expect((await scan({ exclude: ['escape'] })).map((file) => file.relativePath)).toEqual(['index.html']);
  });

  it('refuses a broken symlink, naming it', async () => {
    put('index.html');
    symlinkSync(path.join(root, 'missing'), path.join(root, 'dangling'));
    await expect(scan()).rejects.toThrow(/Symlink "dangling" .* is broken/);
  });

  it('refuses names with control characters, naming the file', async () => {
    put('bad\nname.html');
    await expect(scan()).rejects.toThrow(/File "bad\\nname.html" has a control character/);
  });

  it('refuses keys longer than 1,024 bytes, counting the prefix and UTF-8 bytes', async () => {
    const segment = 'é'.repeat(100); // 200 bytes, under the 255-byte name limit of most file systems
    const relativePath = `${segment}/${segment}/${segment}/${segment}/${segment}.html`; // 1009 bytes
    put(relativePath);
    await expect(scan()).resolves.toHaveLength(1);
    await expect(scan({ keyPrefix: 'previews/pr-1234/' })).rejects.toThrow(/would get a 1026-byte key; S3 allows 1024/);
  });

  it('refuses a file named like the deploy manifest', async () => {
    put(`docs/${MANIFEST_NAME}`);
    await expect(scan()).rejects.toThrow(/reserves for its deploy manifest/);
  });

  it('refuses special files such as a FIFO', async () => {
    put('index.html');
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    await expect(scan()).rejects.toThrow(/"pipe" in 'source-dir' is not a regular file/);
  });

  it('returns nothing for an empty directory (the caller refuses it)', async () => {
    mkdirSync(path.join(root, 'empty-subdir'));
    await expect(scan()).resolves.toEqual([]);
  });
});

describe('hashFile', () => {
  it.each([
    ['empty', 0, undefined],
    ['one byte', 1, undefined],
    ['exactly one read chunk (1 MiB)', 1024 * 1024, undefined],
    ['1 byte under a part', PART_SIZE - 1, undefined],
    ['exactly one part', PART_SIZE, 1],
    ['one part and a byte', PART_SIZE + 1, 2],
    ['exactly two parts', 2 * PART_SIZE, 2],
    ['two parts and a bit', 2 * PART_SIZE + 12345, 3],
  ])('%s: MD5 of the whole, and the multipart ETag S3 would give', async (_name, size, parts) => {
    const data = randomBytes(size);
    const file = path.join(root, 'big.bin');
    writeFileSync(file, data);
    const result = hashFile(file);
    expect(result.md5).toBe(md5(data));
    expect(result.size).toBe(size);
    if (parts === undefined) {
      expect(result.multipartEtag).toBeUndefined();
    } else {
      const digests: Buffer[] = [];
      for (let offset = 0; offset < size; offset += PART_SIZE)
        digests.push(
          createHash('md5')
            .update(data.subarray(offset, offset + PART_SIZE))
            .digest(),
        );
      expect(result.multipartEtag).toBe(`${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts}`);
    }
  });
});

describe('checkSourceDir', () => {
  it('accepts a directory and a symlink to one', async () => {
    await expect(checkSourceDir(root, 'site')).resolves.toBeUndefined();
    symlinkSync(root, path.join(outside, 'link'));
    await expect(checkSourceDir(path.join(outside, 'link'), 'link')).resolves.toBeUndefined();
  });
  it('refuses a missing directory, saying where it looked', async () => {
    await expect(checkSourceDir(path.join(root, 'nope'), 'build/nope')).rejects.toThrow(
      /'source-dir' "build\/nope" does not exist \(resolved to ".*nope"\)/,
    );
  });
  it('refuses a file', async () => {
    put('file.txt');
    await expect(checkSourceDir(path.join(root, 'file.txt'), 'file.txt')).rejects.toThrow(/is a file, not a directory/);
  });
});
