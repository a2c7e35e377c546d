import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/shared/errors.js';
import {
  type InputReader,
  unknownInputVariables,
  urlSecrets,
  withDefaults,
  parseBucket,
  parseDistributionId,
  parseEndpoint,
  parseHeaderRules,
  parsePrefix,
  parseRegion,
  readInputs,
  redactUserInfo,
} from '../../src/context/inputs.js';
import { ACTION_INPUTS } from '../../src/context/action-inputs.js';
import { actionInputsModule, inputSpecs } from '../../tools/action-inputs.mjs';

const CWD = path.resolve('/repo');
const NO_ENV: NodeJS.ProcessEnv = {};

/** The smallest set of inputs that makes a valid deploy. */
const REQUIRED: Record<string, string> = { 'source-dir': 'website/build', bucket: 'parl.ai' };

const ACTION_YAML = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
const SPECS = inputSpecs(ACTION_YAML);

/** Inputs as a local run passes them, with action.yml's defaults for the rest (as the runner fills them). */
function reader(map: Record<string, string>): InputReader {
  return withDefaults((name) => map[name] ?? '', SPECS);
}

function read(overrides: Record<string, string> = {}, env: NodeJS.ProcessEnv = NO_ENV, cwd = CWD) {
  return readInputs(reader({ ...REQUIRED, ...overrides }), env, cwd);
}

/** Runs `fn`, expects an InputError and returns it. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** Every InputError names its input, both in `.input` and at the start of the message. */
function expectInputError(fn: () => unknown, input: string, messagePart?: RegExp | string): InputError {
  const error = inputError(fn);
  expect(error.input).toBe(input);
  expect(error.name).toBe('InputError');
  expect(error.message.startsWith(`Input '${input}': `)).toBe(true);
  if (messagePart !== undefined) expect(error.message).toMatch(messagePart);
  return error;
}

describe('readInputs: defaults', () => {
  it('fills every optional input with its documented default', () => {
    const inputs = read();
    expect(inputs).toMatchObject({
      buildCommand: '',
      workingDirectory: CWD,
      sourceDir: path.join(CWD, 'website/build'),
      sourceDirInput: 'website/build',
      bucket: 'parl.ai',
      prefix: '',
      region: 'us-east-1',
      forcePathStyle: false,
      deleteRemoved: true,
      maxDeletes: 1000,
      excludePatterns: [],
      concurrency: 32,
      maxConcurrency: 256,
      dryRun: false,
      waitForInvalidation: false,
    });
    expect(inputs.endpointUrl).toBeUndefined();
    expect(inputs.distributionId).toBeUndefined();
    expect(inputs.headerRules).toEqual({ cacheControl: [], contentType: [] });
    expect(inputs.exclude('anything.html')).toBe(false);
  });

  it('takes its defaults from action.yml, not from a second copy in the code', () => {
    const edited = ACTION_YAML.replace(/(concurrency:[\s\S]*?default: )'auto'/, "$1'7'").replace(
      /(max-deletes:[\s\S]*?default: )'1000'/,
      "$1'12'",
    );
    expect(edited).not.toBe(ACTION_YAML);
    const inputs = readInputs(
      withDefaults((name) => REQUIRED[name] ?? '', inputSpecs(edited)),
      NO_ENV,
      CWD,
    );
    expect(inputs.concurrency).toBe(7);
    expect(inputs.maxDeletes).toBe(12);
  });

  it('bundles exactly what action.yml declares (src/context/action-inputs.ts is generated from it)', async () => {
    expect(ACTION_INPUTS).toEqual(SPECS);
    expect(readFileSync(new URL('../../src/context/action-inputs.ts', import.meta.url), 'utf8')).toBe(
      await actionInputsModule(SPECS),
    );
  });

  it('treats an expression default (`${{ github.token }}`) as empty outside the runner', () => {
    expect(SPECS.find((spec) => spec.name === 'github-token')?.default).toBe('');
    expect(read().githubToken).toBe('');
  });

  it('refuses to read an input action.yml does not declare (a typo in the code)', () => {
    expect(() => reader({})('distribution_id')).toThrow(/not declared in action.yml/);
  });

  it('trims the build command', () => {
    expect(read({ 'build-command': '  npm run build \n' }).buildCommand).toBe('npm run build');
  });

  it('passes every input through when set', () => {
    const inputs = read({
      prefix: 'previews/pr-42',
      region: 'eu-west-3',
      'endpoint-url': 'http://127.0.0.1:9000/',
      'force-path-style': 'true',
      'distribution-id': 'E2QWRUHAPOMQZL',
      delete: 'false',
      'max-deletes': '50',
      exclude: '*.map\n# comment\n\ndrafts',
      concurrency: '4',
      'dry-run': 'TRUE',
      'wait-for-invalidation': 'True',
    });
    expect(inputs).toMatchObject({
      prefix: 'previews/pr-42/',
      region: 'eu-west-3',
      endpointUrl: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      distributionId: 'E2QWRUHAPOMQZL',
      deleteRemoved: false,
      maxDeletes: 50,
      excludePatterns: ['*.map', 'drafts'],
      concurrency: 4,
      dryRun: true,
      waitForInvalidation: true,
    });
    expect(inputs.exclude('js/app.js.map')).toBe(true);
    expect(inputs.exclude('drafts/post.html')).toBe(true);
    expect(inputs.exclude('index.html')).toBe(false);
  });
});

describe('readInputs: region fallback chain', () => {
  it.each<[string, string, NodeJS.ProcessEnv, string]>([
    [
      'the input wins over both variables',
      'ap-south-1',
      { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' },
      'ap-south-1',
    ],
    [
      'AWS_REGION when the input is empty',
      '',
      { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' },
      'eu-west-1',
    ],
    ['AWS_REGION when the input is blank', '   ', { AWS_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['AWS_DEFAULT_REGION when AWS_REGION is unset', '', { AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-2'],
    [
      'AWS_DEFAULT_REGION when AWS_REGION is blank',
      '',
      { AWS_REGION: '  ', AWS_DEFAULT_REGION: 'eu-west-2' },
      'eu-west-2',
    ],
    ['us-east-1 when nothing is set', '', {}, 'us-east-1'],
    ['us-east-1 when both variables are empty', '', { AWS_REGION: '', AWS_DEFAULT_REGION: '' }, 'us-east-1'],
    ['trims the variable', '', { AWS_REGION: ' sa-east-1 ' }, 'sa-east-1'],
  ])('%s', (_title, input, env, expected) => {
    expect(read({ region: input }, env).region).toBe(expected);
  });

  it('says the bad region came from the environment when the input is empty', () => {
    expectInputError(
      () => read({}, { AWS_REGION: 'nowhere' }),
      'region',
      /'nowhere' \(from AWS_REGION \/ AWS_DEFAULT_REGION\)/,
    );
  });

  it('says the bad region came from the input when it did', () => {
    expectInputError(
      () => read({ region: 'nowhere' }, { AWS_REGION: 'eu-west-1' }),
      'region',
      /'nowhere' \(from Input 'region'\)/,
    );
  });
});

describe('readInputs: paths', () => {
  it.each([
    ['no working-directory: source-dir is relative to cwd', '', 'website/build', '/repo', '/repo/website/build'],
    ['relative working-directory is relative to cwd', 'website', 'build', '/repo/website', '/repo/website/build'],
    ['source-dir is relative to working-directory', 'a/b', '../out', '/repo/a/b', '/repo/a/out'],
    ['absolute working-directory stays', '/elsewhere/site', 'build', '/elsewhere/site', '/elsewhere/site/build'],
    ['absolute source-dir stays', 'website', '/tmp/out', '/repo/website', '/tmp/out'],
    ['blank working-directory means cwd', '   ', 'build', '/repo', '/repo/build'],
    ['dot source-dir is working-directory itself', 'website', '.', '/repo/website', '/repo/website'],
  ])('%s', (_title, workingDirectory, sourceDir, expectedWorking, expectedSource) => {
    // Resolution only: where source-dir may be is tested below ("source-dir stays in the workspace").
    const inputs = read({
      'working-directory': workingDirectory,
      'source-dir': sourceDir,
      'allow-source-outside-workspace': 'true',
    });
    expect(inputs.workingDirectory).toBe(path.resolve(expectedWorking));
    expect(inputs.sourceDir).toBe(path.resolve(expectedSource));
    expect(path.isAbsolute(inputs.sourceDir)).toBe(true);
    expect(inputs.sourceDirInput).toBe(sourceDir.trim());
  });

  it.each(['', '   ', '\n'])('a missing source-dir (%j) is an InputError that says what to give', (value) => {
    const error = expectInputError(() => read({ 'source-dir': value }), 'source-dir', /is required/);
    expect(error.message).toMatch(/website\/build/);
  });

  it('checks source-dir before anything else', () => {
    // Even with a bad bucket, the missing source-dir is what is reported.
    expectInputError(() => readInputs(reader({ bucket: 'BAD' }), NO_ENV, CWD), 'source-dir');
  });
});

describe('bucket', () => {
  it.each([
    ['parl.ai', 'parl.ai'],
    ['my-site.example.com', 'my-site.example.com'],
    ['abc', 'abc'],
    ['a'.repeat(63), 'a'.repeat(63)],
    ['123', '123'],
    ['  padded-bucket  ', 'padded-bucket'],
    ['my.bucket-1', 'my.bucket-1'],
  ])('accepts %j', (value, expected) => {
    expect(parseBucket(value)).toBe(expected);
    expect(read({ bucket: value }).bucket).toBe(expected);
  });

  it.each(['', '   '])('requires a bucket (%j)', (value) => {
    expectInputError(() => read({ bucket: value }), 'bucket', /is required/);
  });

  it.each(['s3://x', 'S3://my-bucket', 'my/bucket', 's3://my-bucket/path', 'my-bucket/'])(
    "rejects %j and says to give the bare name and use 'prefix' for a folder",
    (value) => {
      const error = expectInputError(() => parseBucket(value), 'bucket');
      expect(error.message).toMatch(/bucket name only/);
      expect(error.message).toMatch(/'prefix'/);
    },
  );

  it.each([
    ['uppercase', 'My-Bucket'],
    ['too short', 'ab'],
    ['too long', 'a'.repeat(64)],
    ['consecutive dots', 'a..b'],
    ['dot next to hyphen', 'a.-b'],
    ['hyphen next to dot', 'a-.b'],
    ['IP address', '192.168.1.1'],
    ['xn-- prefix', 'xn--abc'],
    ['sthree- prefix', 'sthree-bucket'],
    ['leading hyphen', '-abc'],
    ['trailing hyphen', 'abc-'],
    ['leading dot', '.abc'],
    ['trailing dot', 'abc.'],
    ['-s3alias suffix', 'abc-s3alias'],
    ['--ol-s3 suffix', 'abc--ol-s3'],
    ['.mrap suffix', 'abc.mrap'],
    ['underscore', 'my_bucket'],
    ['space', 'my bucket'],
  ])('rejects %s (%j) with the naming rules', (_title, value) => {
    const error = expectInputError(() => read({ bucket: value }), 'bucket');
    expect(error.message).toMatch(/not a valid S3 bucket name/);
    expect(error.message).toMatch(/3-63 lowercase letters, digits, dots and hyphens/);
  });
});

describe('prefix', () => {
  it.each([
    ['', ''],
    ['   ', ''],
    ['pr-42', 'pr-42/'],
    ['pr-42/', 'pr-42/'],
    ['pr-42//', 'pr-42/'],
    ['a/b', 'a/b/'],
    ['previews/pr-42/', 'previews/pr-42/'],
    [' docs ', 'docs/'],
    ['v1.2', 'v1.2/'],
    ['..a', '..a/'],
  ])('%j → %j', (value, expected) => {
    expect(parsePrefix(value)).toBe(expected);
    expect(read({ prefix: value }).prefix).toBe(expected);
  });

  it.each([
    ['absolute', '/abs'],
    ['root', '/'],
    ['parent', '../x'],
    ['parent alone', '..'],
    ['inner parent', 'a/../b'],
    ['empty segment', 'a//b'],
    ['dot segment', './a'],
    ['inner dot segment', 'a/./b'],
    ['backslash', 'a\\b'],
    ['control character', 'a\u0001b'],
    ['tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
  ])('rejects %s (%j) and shows how to write it', (_title, value) => {
    const error = expectInputError(() => parsePrefix(value), 'prefix');
    expect(error.message).toMatch(/previews\/pr-42/);
  });
});

describe('region', () => {
  it.each([
    'us-east-1',
    'eu-west-3',
    'us-gov-west-1',
    'ap-southeast-3',
    'cn-north-1',
    'me-central-1',
    'ap-southeast-10',
  ])('accepts %j', (value) => {
    expect(parseRegion(value, NO_ENV, false)).toBe(value);
    expect(read({ region: value }).region).toBe(value);
  });

  it.each(['us-east', 'US-EAST-1', 'useast1', 'moon-base-1x', 'us-east-123', 'us_east_1', 'auto', 'e-west-1'])(
    'rejects %j and gives an example',
    (value) => {
      const error = expectInputError(() => read({ region: value }), 'region');
      expect(error.message).toContain(`'${value}'`);
      expect(error.message).toMatch(/us-east-1/);
    },
  );

  it.each([
    ['auto', 'auto'],
    ['garage', 'garage'],
    ['us-east-1', 'us-east-1'],
  ])('with endpoint-url set, accepts %j', (value, expected) => {
    expect(read({ region: value, 'endpoint-url': 'https://r2.example.com' }).region).toBe(expected);
  });

  it.each(['Auto', 'my region', '-x', 'a_b'])('with endpoint-url set, still rejects %j', (value) => {
    expectInputError(() => read({ region: value, 'endpoint-url': 'https://r2.example.com' }), 'region');
  });
});

describe('endpoint-url', () => {
  it.each([
    ['', undefined],
    ['   ', undefined],
    ['https://s3.example.com', 'https://s3.example.com'],
    ['https://s3.example.com/', 'https://s3.example.com'],
    ['http://127.0.0.1:9000//', 'http://127.0.0.1:9000'],
    [' http://localhost:4566 ', 'http://localhost:4566'],
    ['https://example.com/s3/', 'https://example.com/s3'],
  ])('%j → %j', (value, expected) => {
    expect(parseEndpoint(value)).toBe(expected);
  });

  it.each(['not a url', 's3.example.com', '://x', 'http//missing-colon'])(
    'rejects %j as not a URL, with an example',
    (value) => {
      const error = expectInputError(() => read({ 'endpoint-url': value }), 'endpoint-url');
      expect(error.message).toMatch(/https:\/\/s3\.example\.com/);
    },
  );

  it.each(['ftp://x', 'file:///tmp/x', 's3://bucket'])('rejects the non-http scheme of %j', (value) => {
    expectInputError(() => read({ 'endpoint-url': value }), 'endpoint-url', /http:\/\/ or https:\/\//);
  });

  it.each([
    ['https://user:pass@host', ['user:pass', ':pass@', 'host']],
    ['https://someone:S3CRETPASS@s3.example.com/', ['S3CRETPASS', 'someone', 's3.example.com']],
    ['http://AKIAEXAMPLE@host:9000', ['AKIAEXAMPLE', 'host:9000']],
  ])('rejects credentials in %j without echoing them', (value, secrets) => {
    const error = expectInputError(() => read({ 'endpoint-url': value }), 'endpoint-url', /must not carry credentials/);
    expect(error.message).toMatch(/AWS_ACCESS_KEY_ID/);
    for (const secret of secrets) expect(error.message).not.toContain(secret);
  });

  // A password must not reach the log, whichever check rejects the URL first.
  it.each(['ftp://user:S3CRETPASS@host', 'https://user:S3CRETPASS@'])(
    'never echoes a password, even when %j is rejected for another reason',
    (value) => {
      const error = expectInputError(() => read({ 'endpoint-url': value }), 'endpoint-url');
      expect(error.message).not.toContain('S3CRETPASS');
    },
  );
});

describe('distribution-id', () => {
  it.each([
    ['', undefined],
    ['E2QWRUHAPOMQZL', 'E2QWRUHAPOMQZL'],
    [' E2QWRUHAPOMQZL ', 'E2QWRUHAPOMQZL'],
    ['ABC123', 'ABC123'],
  ])('%j → %j', (value, expected) => {
    expect(parseDistributionId(value)).toBe(expected);
    expect(read({ 'distribution-id': value }).distributionId).toBe(expected);
  });

  it.each(['e2qwruhapomqzl', 'E2-Q', 'E2QWRUHAPOMQZl', 'E2Q', 'E2QWR UHAPOMQZL', 'A'.repeat(33)])(
    'rejects %j and says where to find the ID',
    (value) => {
      const error = expectInputError(() => read({ 'distribution-id': value }), 'distribution-id');
      expect(error.message).toMatch(/E2QWRUHAPOMQZL/);
      expect(error.message).toMatch(/CloudFront console/);
    },
  );
});

describe('booleans', () => {
  const BOOLEANS: Array<[string, keyof ReturnType<typeof read>]> = [
    ['delete', 'deleteRemoved'],
    ['dry-run', 'dryRun'],
    ['force-path-style', 'forcePathStyle'],
    ['wait-for-invalidation', 'waitForInvalidation'],
  ];

  const VALUES: Array<[string, boolean]> = [
    ['true', true],
    ['True', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ];

  it.each(
    BOOLEANS.flatMap(([name, field]) => VALUES.map(([value, expected]) => [name, field, value, expected] as const)),
  )('%s: %j → %j', (name, field, value, expected) => {
    expect(read({ [name]: value })[field]).toBe(expected);
  });

  it.each(BOOLEANS.flatMap(([name]) => ['yes', '1', 'no', '0', 'on', 'truee'].map((value) => [name, value] as const)))(
    '%s: rejects %j',
    (name, value) => {
      const error = expectInputError(() => read({ [name]: value }), name, /must be true or false/);
      expect(error.message).toContain(`'${value}'`);
    },
  );
});

describe('concurrency and max-deletes', () => {
  it.each([
    ['concurrency', '1', 1],
    ['concurrency', '256', 256],
    ['concurrency', ' 32 ', 32],
    ['max-deletes', '1', 1],
    ['max-deletes', '1000000', 1000000],
  ])('%s: %j → %d', (name, value, expected) => {
    const inputs = read({ [name]: value });
    expect(name === 'concurrency' ? inputs.concurrency : inputs.maxDeletes).toBe(expected);
  });

  it.each([
    ['auto', 32, 256],
    [' AUTO ', 32, 256],
    ['8', 8, 8],
    ['256', 256, 256],
  ])('concurrency: %j starts writes at %d and lets them grow to %d', (value, start, most) => {
    const inputs = read({ concurrency: value });
    expect([inputs.concurrency, inputs.maxConcurrency]).toEqual([start, most]);
  });

  it.each(['0', '-1', 'abc', '1.5', '257', '1e3', '+4', '0x10', 'automatic'])(
    'concurrency: rejects %j with the range',
    (value) => {
      const error = expectInputError(() => read({ concurrency: value }), 'concurrency');
      expect(error.message).toMatch(/must be 'auto' or a whole number from 1 to 256/);
      expect(error.message).toContain(`'${value}'`);
    },
  );

  it.each(['0', '-1', 'abc', '1.5', '99999999999999999999'])(
    'max-deletes: rejects %j and says how to not delete',
    (value) => {
      const error = expectInputError(() => read({ 'max-deletes': value }), 'max-deletes');
      expect(error.message).toMatch(/whole number of at least 1/);
      expect(error.message).toMatch(/delete: false/);
    },
  );
});

describe('exclude', () => {
  it('keeps the patterns, ignoring comments and blank lines', () => {
    const inputs = read({ exclude: '# build leftovers\n\n  *.map  \r\n\t\n# drafts\ndrafts/\n' });
    expect(inputs.excludePatterns).toEqual(['*.map', 'drafts/']);
    expect(inputs.exclude('a/b.js.map')).toBe(true);
    expect(inputs.exclude('drafts/x.html')).toBe(true);
    expect(inputs.exclude('# build leftovers')).toBe(false);
    expect(inputs.exclude('index.html')).toBe(false);
  });

  it.each([
    ['foo[', /bad glob/],
    ['!x', /negated/],
    ['a\\b', /path separator/],
    ['/', /matches nothing/],
  ])('rejects %j, naming the exclude input', (pattern, message) => {
    expectInputError(() => read({ exclude: `ok.txt\n${pattern}` }), 'exclude', message);
  });
});

describe('cache-control and content-type rules', () => {
  it('parses a rule into pattern and value', () => {
    const [rule, ...rest] = parseHeaderRules('cache-control', '*.html: no-cache');
    expect(rest).toEqual([]);
    expect(rule?.pattern).toBe('*.html');
    expect(rule?.value).toBe('no-cache');
    expect(rule?.matches('docs/index.html')).toBe(true);
    expect(rule?.matches('style.css')).toBe(false);
  });

  it('splits at the first colon only', () => {
    const [rule] = parseHeaderRules('cache-control', '  *.pdf :  public, max-age=86400, stale-while-revalidate=60  ');
    expect(rule?.pattern).toBe('*.pdf');
    expect(rule?.value).toBe('public, max-age=86400, stale-while-revalidate=60');
  });

  it('keeps the order of the lines (first match wins downstream), without comments and blanks', () => {
    const rules = parseHeaderRules(
      'cache-control',
      '# rules\ndocs/*.html: no-store\n\n*.html: no-cache\r\n*: public, max-age=60\n',
    );
    expect(rules.map((rule) => [rule.pattern, rule.value])).toEqual([
      ['docs/*.html', 'no-store'],
      ['*.html', 'no-cache'],
      ['*', 'public, max-age=60'],
    ]);
  });

  it('reaches DeployInputs.headerRules', () => {
    const inputs = read({
      'cache-control': '*.pdf: public, max-age=86400',
      'content-type': '*.wasm: application/wasm',
    });
    expect(inputs.headerRules.cacheControl.map((rule) => rule.value)).toEqual(['public, max-age=86400']);
    expect(inputs.headerRules.contentType.map((rule) => rule.value)).toEqual(['application/wasm']);
  });

  it.each([
    ['text/plain; charset=utf-8'],
    ['application/wasm'],
    ['text/html;charset="utf-8"'],
    ['application/vnd.api+json'],
    ['image/svg+xml; charset=utf-8'],
  ])('content-type accepts %j', (value) => {
    expect(parseHeaderRules('content-type', `*.x: ${value}`)[0]?.value).toBe(value);
  });

  it.each(['cache-control', 'content-type'] as const)('%s: rejects a line without a colon, with an example', (name) => {
    const error = expectInputError(() => read({ [name]: '*.html no-cache' }), name, /is not 'GLOB: VALUE'/);
    expect(error.message).toMatch(
      name === 'cache-control' ? /\*\.pdf: public, max-age=86400/ : /\*\.wasm: application\/wasm/,
    );
  });

  it.each([
    ['cache-control', '*.html:'],
    ['cache-control', '*.html:   '],
    ['cache-control', ': no-cache'],
    ['content-type', '*.wasm:'],
  ] as const)('%s: rejects %j (empty glob or value)', (name, line) => {
    expectInputError(() => read({ [name]: line }), name, /is not 'GLOB: VALUE'/);
  });

  it.each([
    ['cache-control', '*.html: max-age=60 café'],
    ['cache-control', '*.html: no-cache\u0007'],
    ['content-type', '*.txt: text/plain; charset=ütf-8'],
  ] as const)('%s: rejects the non-ASCII or control value in %j', (name, line) => {
    expectInputError(() => read({ [name]: line }), name, /printable ASCII/);
  });

  it.each(['notatype', 'text/', '/html', 'text/html; charset', 'text html'])(
    'content-type: rejects %j as not a media type',
    (value) => {
      expectInputError(() => read({ 'content-type': `*.x: ${value}` }), 'content-type', /is not a media type/);
    },
  );

  it('cache-control values are not checked as media types', () => {
    expect(read({ 'cache-control': '*.x: notatype' }).headerRules.cacheControl[0]?.value).toBe('notatype');
  });

  it.each(['cache-control', 'content-type'] as const)('%s: a bad glob names the input', (name) => {
    expectInputError(() => read({ [name]: 'foo[: text/plain' }), name, /bad glob/);
  });
});

describe('unknownInputVariables', () => {
  it('names the input an INPUT_ variable with underscores meant', () => {
    expect(unknownInputVariables({ INPUT_DISTRIBUTION_ID: 'E1', 'INPUT_SOURCE-DIR': 'x' }, SPECS)).toEqual([
      "INPUT_DISTRIBUTION_ID matches no input of this action and is ignored. Did you mean INPUT_DISTRIBUTION-ID (input 'distribution-id')?",
    ]);
  });

  it('suggests the closest input for a typo, and nothing for a variable far from any input', () => {
    const [typo, far] = unknownInputVariables({ INPUT_BUCKETT: 'b', INPUT_XYZZY_PLUGH_FROB: 'z' }, SPECS);
    expect(typo).toContain("Did you mean INPUT_BUCKET (input 'bucket')?");
    expect(far).toBe('INPUT_XYZZY_PLUGH_FROB matches no input of this action and is ignored.');
  });

  it('is quiet when every INPUT_ variable names an input', () => {
    const env = Object.fromEntries(SPECS.map((spec) => [`INPUT_${spec.name.toUpperCase()}`, '']));
    expect(unknownInputVariables({ ...env, PATH: '/bin' }, SPECS)).toEqual([]);
  });
});

describe('URL inputs with credentials in them', () => {
  const PASSWORDS = ['p/ss', 'p?ss', 'p#ss', 'p%2Fss%23', 'p@ss', 'pa:ss'];

  it.each(PASSWORDS)('endpoint-url with password %j: refused, and the message never shows it', (password) => {
    const url = `https://user:${password}@s3.example.com/`;
    const error = expectInputError(() => read({ 'endpoint-url': url }), 'endpoint-url');
    const decoded = decodeURIComponent(password.replace(/%(?![0-9A-F]{2})/g, '%25'));
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain(decoded);
    expect(error.message).not.toContain('ss@');
  });

  it.each(PASSWORDS)('redactUserInfo hides password %j whatever it holds', (password) => {
    const shown = redactUserInfo(`https://user:${password}@host.example/path`);
    expect(shown).toBe('https://***@host.example/path');
  });

  it('lists the raw and decoded secrets of a URL for the runner to mask', () => {
    expect(urlSecrets('https://user:p%2Fss@host/')).toEqual(expect.arrayContaining(['user:p%2Fss', 'p%2Fss', 'p/ss']));
    expect(urlSecrets('https://host/')).toEqual([]);
  });
});
