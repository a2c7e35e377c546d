// ParlAI's whole site, docs included, built without torch by the preset (presets/parlai/build-site.sh) from
// ParlAI's source (../shared/fixtures/parlai-source.tar.gz), checked against the reference builds, then deployed
// with the bundled action to a local S3 server; a second clean build must deploy nothing.
//
// Not part of `npm test` (it takes minutes): `npm run test:parlai`, which .ci/run runs after installing the
// Debian packages with .ci/parlai-deps.sh. Where the packages or fixtures are absent the suite is skipped with
// the reason printed; PARLAI_TEST_REQUIRED=1 (set by .ci/run once the packages are installed) turns that into a
// failure, so a broken set-up cannot pass as a skip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../examples/local-s3-server.mjs';
import { type ActionRun, runAction } from '../support/action-runner.js';
import { localS3Client } from '../support/bucket.js';
import {
  type BuildRun,
  PARLAI_COMMIT,
  checkParlaiBuild,
  prepareParlaiCheckout,
  runBuildSite,
  untar,
} from '../support/parlai-build.mjs';
import { listFiles, tempDir } from '../support/sites.js';

const reason = checkParlaiBuild();
if (reason) {
  if (process.env.PARLAI_TEST_REQUIRED === '1')
    throw new Error(`ParlAI site test cannot run, and PARLAI_TEST_REQUIRED=1 forbids a skip: ${reason}`);
  console.warn(`ParlAI site test skipped: ${reason}`);
}
const suite = reason ? describe.skip : describe;

const BUILD_TIMEOUT_MS = 15 * 60_000;
const BUCKET = 'site';
const MANIFEST_SUFFIX = '.parlai-site-deploy.json.gz';

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const sorted = (list: string[]) => [...list].sort();

suite('ParlAI preset: the whole site without torch', () => {
  let work: string;
  let checkout: string;
  let pythonPath: string[];
  let referenceFull: string;
  let referenceWebsite: string;
  let built: string;
  let server: LocalS3 | undefined;
  let s3: S3Client | undefined;
  let firstBuild: BuildRun;

  beforeAll(() => {
    work = tempDir('parlai-preset');
    ({ checkout, pythonPath } = prepareParlaiCheckout(work));
    for (const [archive, folder] of [
      ['parlai-site-full.tar.gz', 'reference-full'],
      ['parlai-website.tar.gz', 'reference-website'],
    ] as const) {
      mkdirSync(path.join(work, folder));
      untar(archive, path.join(work, folder));
    }
    referenceFull = path.join(work, 'reference-full/site-build');
    referenceWebsite = path.join(work, 'reference-website/site-build');
    built = path.join(checkout, 'website/build');
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  async function build(env: Record<string, string> = {}): Promise<BuildRun> {
    const run = await runBuildSite(checkout, { pythonPath, env, timeoutMs: BUILD_TIMEOUT_MS });
    if (run.code !== 0)
      throw new Error(
        `build-site.sh failed (${run.timedOut ? 'timed out' : (run.code ?? run.signal)}):\n${run.log.slice(-6000)}`,
      );
    return run;
  }

  it(
    'builds the same 367 files as the torch build; the 168 website files byte for byte',
    async () => {
      firstBuild = await build();
      console.log(
        `ParlAI preset build: ${firstBuild.wallS.toFixed(1)} s wall, ${firstBuild.cpuS.toFixed(1)} s CPU, ` +
          `${(firstBuild.rssKb / 1024).toFixed(0)} MB peak RSS`,
      );
      const files = sorted(listFiles(built));
      const reference = sorted(listFiles(referenceFull));
      expect(reference).toHaveLength(367);
      expect(files).toEqual(reference);

      // The website part (everything but docs/): the 168 files of parlai-website.tar.gz, byte for byte.
      const website = sorted(listFiles(referenceWebsite));
      expect(website).toHaveLength(168);
      expect(files.filter((file) => !file.startsWith('docs/'))).toEqual(website);
      const differing = website.filter(
        (file) => md5(readFileSync(path.join(built, file))) !== md5(readFileSync(path.join(referenceWebsite, file))),
      );
      expect(differing).toEqual([]);

      // The docs: 199 files. Only pages and indexes can differ from the torch build (torch is mocked: three
      // fp16 methods inherited from torch, a few signatures); every Markdown source Sphinx copies — the agent
      // option tables with the --optimizer choices from the mocked torch.optim included — every static file,
      // image and font is identical.
      const docs = files.filter((file) => file.startsWith('docs/'));
      expect(docs).toHaveLength(199);
      const docsDiffering = docs.filter(
        (file) => md5(readFileSync(path.join(built, file))) !== md5(readFileSync(path.join(referenceFull, file))),
      );
      const mayDiffer = (file: string) => /\.html$|^docs\/objects\.inv$|^docs\/searchindex\.js$/.test(file);
      expect(docsDiffering.filter((file) => !mayDiffer(file))).toEqual([]);
      expect(docsDiffering.length).toBeLessThanOrEqual(74);
      expect(readFileSync(path.join(built, 'docs/_sources/agent_refs/bart.md.txt'), 'utf8')).toContain(
        'Choices: `adadelta`, `adagrad`, `adam`, `adamw`, `sparseadam`, `adamax`, `asgd`, `sgd`, `radam`, `rprop`, ' +
          '`rmsprop`, `optimizer`, `nadam`, `lbfgs`, `mem_eff_adam`, `adafactor`.',
      );

      // postprocess_docs.py ran; the [source] links carry ParlAI's commit; no page is an import-error stub.
      const index = readFileSync(path.join(built, 'docs/index.html'), 'utf8');
      expect(index).toContain('&mdash; ParlAI Documentation</title>');
      expect(index).toContain('/static/img/favicon-32x32.png');
      const torchAgent = readFileSync(path.join(built, 'docs/core/torch_agent.html'), 'utf8');
      expect(torchAgent).toContain(`https://github.com/facebookresearch/ParlAI/blob/${PARLAI_COMMIT}/parlai/core/`);
      expect(torchAgent).toContain('id="parlai.core.torch_agent.TorchAgent"');
    },
    BUILD_TIMEOUT_MS + 60_000,
  );

  async function deploy(): Promise<ActionRun> {
    // runAction keeps its GITHUB_OUTPUT / summary files in a folder of os.tmpdir() it does not remove: point
    // os.tmpdir() into this suite's folder meanwhile, so afterAll removes them with everything else.
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = work;
    let run: ActionRun;
    try {
      run = await runAction({
        inputs: { 'source-dir': built, bucket: BUCKET, 'endpoint-url': server!.endpoint, 'force-path-style': 'true' },
        env: { ...LOCAL_S3_CREDENTIALS, GITHUB_RUN_ID: `${Date.now()}` },
        timeoutMs: 5 * 60_000,
      });
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    if (run.code !== 0) throw new Error(`action failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
    return run;
  }

  it('deploys it with the bundled action: every file, byte-exact, with the right headers', async () => {
    expect(firstBuild).toBeDefined();
    server = await startLocalS3({ buckets: [BUCKET], directory: path.join(work, 's3rver') });
    s3 = localS3Client(server.endpoint);
    const run = await deploy();
    expect(run.outputs).toMatchObject({ uploaded: '367', deleted: '0', unchanged: '0', skipped: 'false' });

    const listed = new Map<string, string>();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
      for (const object of page.Contents ?? []) listed.set(object.Key!, (object.ETag ?? '').replace(/"/g, ''));
      token = page.NextContinuationToken;
    } while (token);
    const keys = sorted([...listed.keys()].filter((key) => !key.endsWith(MANIFEST_SUFFIX)));
    const files = sorted(listFiles(built));
    expect(keys).toEqual(files);
    // No file reaches 8 MiB (multipart), so each ETag is the MD5 of the bytes stored.
    for (const file of files)
      expect({ file, etag: listed.get(file) }).toEqual({ file, etag: md5(readFileSync(path.join(built, file))) });

    const head = async (key: string) => {
      const response = await s3!.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      return { key, type: response.ContentType, cache: response.CacheControl };
    };
    const asset = 'public, max-age=3600';
    const page = 'public, max-age=0, must-revalidate';
    const expected: Array<[string, string | RegExp, string]> = [
      ['docs/index.html', 'text/html; charset=utf-8', page],
      ['docs/core/torch_agent.html', 'text/html; charset=utf-8', page],
      ['docs/_static/css/theme.css', 'text/css; charset=utf-8', asset],
      ['docs/_static/css/parlai_theme.css', 'text/css; charset=utf-8', asset],
      ['docs/_static/pygments.css', 'text/css; charset=utf-8', asset],
      ['docs/_static/js/theme.js', /^(text|application)\/javascript; charset=utf-8$/, asset],
      ['docs/_static/jquery.js', /^(text|application)\/javascript; charset=utf-8$/, asset],
      ['docs/searchindex.js', /^(text|application)\/javascript; charset=utf-8$/, asset],
      // Sphinx's inventory is zlib-compressed after a text header: binary, never given a charset.
      ['docs/objects.inv', 'application/octet-stream', asset],
      ['docs/_sources/index.md.txt', 'text/plain; charset=utf-8', asset],
      ['docs/_sources/agent_refs/bart.md.txt', 'text/plain; charset=utf-8', asset],
      ['docs/_static/fonts/fontawesome-webfont.woff', 'font/woff', asset],
      ['docs/_static/fonts/Lato-Regular.woff2', 'font/woff2', asset],
      ['docs/_static/fonts/Lato-Regular.ttf', 'font/ttf', asset],
      ['docs/_static/fonts/fontawesome-webfont.svg', 'image/svg+xml; charset=utf-8', asset],
      ['docs/_static/img/parlai.png', 'image/png', asset],
      // The stylesheet ParlAI's CircleCI job had to fix by hand with `s3cmd modify --add-header`.
      ['static/css/parlai.css', 'text/css; charset=utf-8', asset],
      ['index.html', 'text/html; charset=utf-8', page],
    ];
    for (const [key, type, cache] of expected) {
      const got = await head(key);
      expect(got).toEqual({ key, type: typeof type === 'string' ? type : expect.stringMatching(type), cache });
    }
  }, 600_000);

  it(
    'a second clean build is identical, and its deploy uploads nothing',
    async () => {
      expect(server).toBeDefined();
      const before = new Map(listFiles(built).map((file) => [file, md5(readFileSync(path.join(built, file)))]));
      // What a fresh CI checkout does: website/build and docs/build both rebuilt from scratch.
      await build({ CLEAN: '1' });
      const after = new Map(listFiles(built).map((file) => [file, md5(readFileSync(path.join(built, file)))]));
      expect(sorted([...after.keys()])).toEqual(sorted([...before.keys()]));
      expect([...after].filter(([file, hash]) => before.get(file) !== hash).map(([file]) => file)).toEqual([]);
      const run = await deploy();
      expect(run.outputs).toMatchObject({ uploaded: '0', deleted: '0', unchanged: '367', 'bytes-uploaded': '0' });
    },
    BUILD_TIMEOUT_MS + 5 * 60_000,
  );
});
