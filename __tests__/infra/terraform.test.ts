// Shape invariants of the Terraform modules in terraform/ (and terraform/bootstrap/, terraform/modules/),
// checked offline: every .tf file is parsed with @cdktn/hcl2json and the assertions read the attribute
// values as written. No Terraform binary, provider or AWS account is involved, so this runs everywhere.
//
// What a plan shows (the bucket hardening, the bucket policy's real statements, the custom-domain and
// preview wiring, the outputs) is tested by Terraform itself, with mocked providers: terraform/tests/ and
// terraform/bootstrap/tests/, run by .ci/terraform.sh. What stays here is what a plan cannot see or what
// must hold for every future edit: no bucket without the shared hardening, no legacy origin access identity,
// both distributions configured alike, the provider range and its lock files, the variables' validation
// patterns against sample inputs.
//
// hcl2json shapes: blocks are arrays of objects (`rule: [{...}]`), labelled blocks are nested maps
// (`resource.aws_s3_bucket.site: [{...}]`), and expressions are strings wrapped in "${...}".
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as hcl from '@cdktn/hcl2json';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

interface Module {
  dir: string;
  files: string[];
  resources: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  variables: Record<string, Body>;
  outputs: Record<string, Body>;
  locals: Record<string, unknown>;
  terraform: Body[];
  providers: Record<string, Body[]>;
  modules: Record<string, Body>;
}

const ROOT = path.resolve(process.cwd(), 'terraform');
const BOOTSTRAP = path.join(ROOT, 'bootstrap');
const PRIVATE_BUCKET = path.join(ROOT, 'modules', 'private-bucket');

/** The hardening resources that live in modules/private-bucket only. */
const HARDENING_TYPES = [
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_policy',
];

/** Parses and merges every .tf file of one module directory (not its subdirectories). */
async function loadModule(dir: string): Promise<Module> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  const module: Module = {
    dir,
    files,
    resources: {},
    data: {},
    variables: {},
    outputs: {},
    locals: {},
    terraform: [],
    providers: {},
    modules: {},
  };
  for (const file of files) {
    const parsed = await hcl.parse(file, readFileSync(path.join(dir, file), 'utf8'));
    for (const [kind, target] of [
      ['resource', module.resources],
      ['data', module.data],
    ] as const) {
      for (const [type, byName] of Object.entries((parsed[kind] ?? {}) as Record<string, Record<string, Body[]>>)) {
        for (const [name, bodies] of Object.entries(byName)) {
          target[type] ??= {};
          if (target[type][name]) throw new Error(`${kind} ${type}.${name} is declared twice`);
          expect(bodies).toHaveLength(1);
          target[type][name] = bodies[0] as Body;
        }
      }
    }
    for (const [kind, target] of [
      ['variable', module.variables],
      ['output', module.outputs],
    ] as const) {
      for (const [name, bodies] of Object.entries((parsed[kind] ?? {}) as Record<string, Body[]>)) {
        if (target[name]) throw new Error(`${kind} ${name} is declared twice`);
        target[name] = bodies[0] as Body;
      }
    }
    for (const locals of (parsed.locals ?? []) as Body[]) {
      for (const [name, value] of Object.entries(locals)) {
        if (name in module.locals) throw new Error(`local ${name} is declared twice`);
        module.locals[name] = value;
      }
    }
    module.terraform.push(...((parsed.terraform ?? []) as Body[]));
    for (const [name, bodies] of Object.entries((parsed.provider ?? {}) as Record<string, Body[]>)) {
      (module.providers[name] ??= []).push(...bodies);
    }
    for (const [name, bodies] of Object.entries((parsed.module ?? {}) as Record<string, Body[]>)) {
      if (module.modules[name]) throw new Error(`module ${name} is declared twice`);
      module.modules[name] = bodies[0] as Body;
    }
  }
  return module;
}

function resource(module: Module, type: string, name: string): Body {
  const body = module.resources[type]?.[name];
  if (!body) throw new Error(`resource ${type}.${name} not found in ${module.dir}`);
  return body;
}

function data(module: Module, type: string, name: string): Body {
  const body = module.data[type]?.[name];
  if (!body) throw new Error(`data ${type}.${name} not found in ${module.dir}`);
  return body;
}

/** The one resource of a type (throws when there are none or several). */
function onlyResource(module: Module, type: string): [string, Body] {
  const entries = Object.entries(module.resources[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected exactly one ${type}, found ${entries.length}`);
  return entries[0] as [string, Body];
}

/** The single nested block `name` of a body. */
function block(body: Body, name: string): Body {
  const blocks = body[name] as Body[] | undefined;
  if (!Array.isArray(blocks) || blocks.length !== 1) {
    throw new Error(`expected one '${name}' block, found ${Array.isArray(blocks) ? blocks.length : 'none'}`);
  }
  return blocks[0] as Body;
}

function blocks(body: Body, name: string): Body[] {
  const value = body[name] as Body[] | undefined;
  return Array.isArray(value) ? value : [];
}

/** Follows `${local.name}` references to the local's value. */
function resolve(module: Module, value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 10; depth++) {
    const match = typeof current === 'string' ? /^\$\{local\.([a-z0-9_]+)\}$/.exec(current) : null;
    if (!match) return current;
    const name = match[1] as string;
    if (!(name in module.locals)) throw new Error(`local.${name} is not defined`);
    current = module.locals[name];
  }
  throw new Error('local references nest too deeply');
}

/** Turns the first regex("...") literal of a validation condition into a JS RegExp (RE2 ⊂ JS here). */
function regexOf(condition: string): RegExp {
  const match = /regex\("((?:[^"\\]|\\.)*)"/.exec(condition);
  if (!match) throw new Error(`no regex() in ${condition}`);
  const pattern = (match[1] as string).replace(/\\(["\\])/g, '$1');
  return new RegExp(pattern);
}

/**
 * Every aws_s3_bucket of a root module is hardened by a modules/private-bucket call naming it, and the
 * root module declares none of the hardening resources itself (they live in the shared module only).
 */
function expectEveryBucketHardened(module: Module): void {
  const buckets = Object.keys(module.resources.aws_s3_bucket ?? {});
  expect(buckets.length).toBeGreaterThan(0);
  const calls = Object.values(module.modules).filter((call) =>
    /(^|\/)modules\/private-bucket$/.test(call.source as string),
  );
  for (const name of buckets) {
    const pattern = new RegExp(`^\\$\\{aws_s3_bucket\\.${name}(\\[0\\])?\\.id\\}$`);
    const call = calls.find((candidate) => pattern.test(candidate.bucket as string));
    expect([name, call !== undefined]).toEqual([name, true]);
    expect(call?.bucket_arn).toMatch(new RegExp(`^\\$\\{aws_s3_bucket\\.${name}(\\[0\\])?\\.arn\\}$`));
  }
  for (const type of HARDENING_TYPES) expect([type, module.resources[type]]).toEqual([type, undefined]);
}

/** `version` constraint of hashicorp/aws in a module's required_providers. */
function awsConstraint(module: Module): string {
  const settings = module.terraform.find((candidate) => candidate.required_providers);
  const aws = block(settings as Body, 'required_providers').aws as Body;
  expect(aws.source).toBe('hashicorp/aws');
  return aws.version as string;
}

/** The provider versions recorded in a root module's .terraform.lock.hcl. */
function lockedAwsVersion(dir: string): string {
  const file = path.join(dir, '.terraform.lock.hcl');
  expect(existsSync(file)).toBe(true);
  const text = readFileSync(file, 'utf8');
  const match = /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"([0-9.]+)"/.exec(text);
  if (!match) throw new Error(`no hashicorp/aws entry in ${file}`);
  expect(text).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
  return match[1] as string;
}

function versionParts(version: string): number[] {
  return version.split('.').map(Number);
}

function atLeast(version: string, minimum: string): boolean {
  const [a = 0, b = 0, c = 0] = versionParts(version);
  const [x = 0, y = 0, z = 0] = versionParts(minimum);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
}

let site: Module;
let bootstrap: Module;
let privateBucket: Module;

beforeAll(async () => {
  site = await loadModule(ROOT);
  bootstrap = await loadModule(BOOTSTRAP);
  privateBucket = await loadModule(PRIVATE_BUCKET);
});

/** Both distributions of the site module (the preview one has count = preview_distribution). */
const DISTRIBUTIONS = ['site', 'preview'] as const;

describe('terraform/ (site module)', () => {
  it('parses every .tf file', () => {
    expect(site.files).toEqual(expect.arrayContaining(['versions.tf', 'variables.tf', 'outputs.tf', 'logs.tf']));
    expect(Object.keys(site.resources).length).toBeGreaterThan(5);
  });

  const invariants: Array<[string, () => void]> = [
    [
      'buckets: the content and log buckets are hardened by modules/private-bucket, nothing declared twice',
      () => expectEveryBucketHardened(site),
    ],
    [
      'buckets: the content bucket passes its CloudFront statements to the shared policy',
      () => {
        const call = site.modules.content_bucket as Body;
        expect(call.source).toBe('./modules/private-bucket');
        expect(call.policy_statements).toBe('${local.site_bucket_statements}');
        expect(call.versioning).toBe(true);
      },
    ],
    [
      'content bucket: no website hosting (no website block, no aws_s3_bucket_website_configuration)',
      () => {
        expect(site.resources.aws_s3_bucket_website_configuration).toBeUndefined();
        const bucket = resource(site, 'aws_s3_bucket', 'site');
        expect(bucket.website).toBeUndefined();
        expect(bucket.acl).toBeUndefined();
        expect(JSON.stringify(site)).not.toMatch(/website_endpoint|website_domain|s3-website/);
      },
    ],
    [
      'origin access control: s3, signing always, sigv4',
      () => {
        const oac = resource(site, 'aws_cloudfront_origin_access_control', 'site');
        expect(oac.origin_access_control_origin_type).toBe('s3');
        expect(oac.signing_behavior).toBe('always');
        expect(oac.signing_protocol).toBe('sigv4');
      },
    ],
    [
      'no legacy origin access identity anywhere',
      () => {
        expect(site.resources.aws_cloudfront_origin_access_identity).toBeUndefined();
        expect(JSON.stringify(site)).not.toMatch(/origin_access_identity/);
      },
    ],
    [
      'origin: both distributions read the bucket REST endpoint through the one OAC (no s3_origin_config/custom_origin_config)',
      () => {
        for (const name of DISTRIBUTIONS) {
          const origin = block(resource(site, 'aws_cloudfront_distribution', name), 'origin');
          expect([name, origin.domain_name]).toEqual([name, '${aws_s3_bucket.site.bucket_regional_domain_name}']);
          expect([name, origin.origin_access_control_id]).toEqual([
            name,
            '${aws_cloudfront_origin_access_control.site.id}',
          ]);
          expect(origin.s3_origin_config).toBeUndefined();
          expect(origin.custom_origin_config).toBeUndefined();
        }
      },
    ],
    [
      'functions: cloudfront-js-2.0 and published; the code is functions/viewer-request.js, rewritten per distribution',
      () => {
        const production = resource(site, 'aws_cloudfront_function', 'viewer_request');
        const preview = resource(site, 'aws_cloudfront_function', 'preview_viewer_request');
        for (const fn of [production, preview]) {
          expect(fn.runtime).toBe('cloudfront-js-2.0');
          expect(fn.publish).toBe(true);
        }
        expect(production.code).toBe('${local.site_function_code}');
        expect(preview.code).toBe('${local.preview_function_code}');
        expect(site.locals.function_source).toBe('${file("${path.module}/functions/viewer-request.js")}');
        expect(existsSync(path.join(ROOT, 'functions', 'viewer-request.js'))).toBe(true);
      },
    ],
    [
      'distributions: enabled, index.html root, HTTP/2 and HTTP/3, IPv6, 403/404 -> /404.html with status 404',
      () => {
        for (const name of DISTRIBUTIONS) {
          const distribution = resource(site, 'aws_cloudfront_distribution', name);
          expect([name, distribution.enabled, distribution.default_root_object]).toEqual([name, true, 'index.html']);
          expect([name, distribution.http_version, distribution.is_ipv6_enabled]).toEqual([name, 'http2and3', true]);
          const byCode = Object.fromEntries(
            blocks(distribution, 'custom_error_response').map((response) => [response.error_code, response]),
          );
          for (const code of [403, 404]) {
            expect([name, byCode[code]]).toEqual([
              name,
              { error_code: code, response_code: 404, response_page_path: '/404.html', error_caching_min_ttl: 10 },
            ]);
          }
        }
        expect(resource(site, 'aws_cloudfront_distribution', 'site').price_class).toBe('${var.price_class}');
        expect(site.variables.price_class?.default).toBe('PriceClass_100');
      },
    ],
    [
      'distributions: managed CachingOptimized policy, compression, GET/HEAD only, HTTPS only, security headers, a viewer-request function',
      () => {
        for (const name of DISTRIBUTIONS) {
          const distribution = resource(site, 'aws_cloudfront_distribution', name);
          const behavior = block(distribution, 'default_cache_behavior');
          const ref = /^\$\{data\.aws_cloudfront_cache_policy\.([a-z0-9_]+)\.id\}$/.exec(
            behavior.cache_policy_id as string,
          );
          expect([name, ref !== null]).toEqual([name, true]);
          expect(data(site, 'aws_cloudfront_cache_policy', ref?.[1] as string).name).toBe('Managed-CachingOptimized');
          expect([name, behavior.compress, behavior.viewer_protocol_policy]).toEqual([name, true, 'redirect-to-https']);
          expect([name, behavior.allowed_methods, behavior.cached_methods]).toEqual([
            name,
            ['GET', 'HEAD'],
            ['GET', 'HEAD'],
          ]);
          expect([name, behavior.target_origin_id]).toEqual([name, block(distribution, 'origin').origin_id]);
          expect([name, behavior.response_headers_policy_id]).toEqual([
            name,
            name === 'site'
              ? '${aws_cloudfront_response_headers_policy.security.id}'
              : '${aws_cloudfront_response_headers_policy.preview[0].id}',
          ]);
          expect(blocks(behavior, 'function_association').map((association) => association.event_type)).toEqual([
            'viewer-request',
          ]);
          // No legacy forwarded_values / TTLs next to a cache policy; no legacy (ACL-based) logging.
          expect(behavior.forwarded_values).toBeUndefined();
          expect(distribution.logging_config).toBeUndefined();
        }
      },
    ],
    [
      'response headers (both distributions): HSTS >= 1 year with includeSubdomains, preload, override; nosniff; frame options; referrer policy',
      () => {
        for (const name of DISTRIBUTIONS) {
          const behavior = block(resource(site, 'aws_cloudfront_distribution', name), 'default_cache_behavior');
          const ref = /^\$\{aws_cloudfront_response_headers_policy\.([a-z0-9_]+)(\[0\])?\.id\}$/.exec(
            behavior.response_headers_policy_id as string,
          );
          expect(ref).not.toBeNull();
          const config = block(
            resource(site, 'aws_cloudfront_response_headers_policy', ref?.[1] as string),
            'security_headers_config',
          );
          const hsts = block(config, 'strict_transport_security');
          expect(Number(resolve(site, hsts.access_control_max_age_sec))).toBeGreaterThanOrEqual(31536000);
          expect(hsts.include_subdomains).toBe(true);
          expect(hsts.preload).toBe(true);
          expect(hsts.override).toBe(true);
          expect(block(config, 'content_type_options').override).toBe(true);
          expect(['DENY', 'SAMEORIGIN']).toContain(block(config, 'frame_options').frame_option);
          expect(block(config, 'frame_options').override).toBe(true);
          expect(block(config, 'referrer_policy').referrer_policy).toBe('strict-origin-when-cross-origin');
          expect(block(config, 'referrer_policy').override).toBe(true);
        }
      },
    ],
    [
      'preview distribution: only with preview_distribution (default false); its own function, certificate and records',
      () => {
        expect(site.variables.preview_distribution?.default).toBe(false);
        for (const [type, name] of [
          ['aws_cloudfront_distribution', 'preview'],
          ['aws_cloudfront_function', 'preview_viewer_request'],
        ]) {
          expect([name, resource(site, type as string, name as string).count]).toEqual([
            name,
            '${var.preview_distribution ? 1 : 0}',
          ]);
        }
        expect(resource(site, 'aws_acm_certificate', 'preview').count).toBe('${local.preview_custom_domain ? 1 : 0}');
        expect(resource(site, 'aws_acm_certificate', 'preview').provider).toBe('${aws.us_east_1}');
      },
    ],
    [
      'access logs: off by default; S3 server access logs and CloudFront standard logs v2 (no ACL-based legacy logging)',
      () => {
        expect(site.variables.access_logs?.default).toBe(false);
        expect(resource(site, 'aws_s3_bucket', 'logs').count).toBe('${var.access_logs ? 1 : 0}');
        expect(resource(site, 'aws_s3_bucket_logging', 'site').count).toBe('${var.access_logs ? 1 : 0}');
        expect(resource(site, 'aws_cloudwatch_log_delivery_source', 'cloudfront').log_type).toBe('ACCESS_LOGS');
        expect(resource(site, 'aws_cloudwatch_log_delivery_source', 'cloudfront').provider).toBe('${aws.us_east_1}');
        expect(site.resources.aws_s3_bucket_acl).toBeUndefined();
      },
    ],
    [
      'moved blocks: the hardening that moved into modules/private-bucket keeps its state (no destroy and re-create)',
      () => {
        for (const [dir, bucket, call] of [
          ['s3.tf', 'site', 'content_bucket'],
          ['bootstrap/main.tf', 'state', 'state_bucket'],
        ] as const) {
          const text = readFileSync(path.join(ROOT, dir), 'utf8');
          for (const type of HARDENING_TYPES) {
            const target = `module.${call}.${type}.this${type === 'aws_s3_bucket_versioning' ? '[0]' : ''}`;
            expect(text).toContain(`from = ${type}.${bucket}\n  to   = ${target}\n`);
          }
        }
      },
    ],
    [
      'state: s3 backend with use_lockfile and encrypt, no DynamoDB, bucket/key/region left to -backend-config',
      () => {
        const backends = site.terraform.flatMap((settings) => (settings.backend ? [settings.backend as Body] : []));
        expect(backends).toHaveLength(1);
        const s3 = block(backends[0] as Body, 's3');
        expect(s3.use_lockfile).toBe(true);
        expect(s3.encrypt).toBe(true);
        expect(s3.dynamodb_table).toBeUndefined();
        expect(s3.bucket).toBeUndefined();
        expect(s3.key).toBeUndefined();
        expect(s3.region).toBeUndefined();
        expect(site.resources.aws_dynamodb_table).toBeUndefined();
      },
    ],
    [
      'versions: Terraform >= 1.10; AWS provider >= 5.100, < 7.0 (5.100 and every 6.x)',
      () => {
        const settings = site.terraform.find((candidate) => candidate.required_version);
        const match = /^>=\s*(\d+)\.(\d+)/.exec(settings?.required_version as string);
        expect(match).not.toBeNull();
        expect(Number(match?.[1]) * 1000 + Number(match?.[2])).toBeGreaterThanOrEqual(1010);
        expect(awsConstraint(site)).toBe('>= 5.100, < 7.0');
      },
    ],
    [
      'lock files: committed for both root modules, on one provider version inside the allowed range',
      () => {
        const version = lockedAwsVersion(ROOT);
        expect(lockedAwsVersion(BOOTSTRAP)).toBe(version);
        expect(atLeast(version, '5.100.0')).toBe(true);
        expect(atLeast(version, '7.0.0')).toBe(false);
        expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).not.toMatch(/lock\.hcl/);
      },
    ],
    [
      'providers: default region from var.aws_region plus the us_east_1 alias',
      () => {
        const aws = site.providers.aws ?? [];
        expect(aws).toHaveLength(2);
        expect(aws.find((provider) => !provider.alias)?.region).toBe('${var.aws_region}');
        expect(aws.find((provider) => provider.alias === 'us_east_1')?.region).toBe('us-east-1');
      },
    ],
    [
      'variables: every variable has a description and a type',
      () => {
        expect(Object.keys(site.variables).length).toBeGreaterThan(0);
        for (const [name, variable] of Object.entries(site.variables)) {
          expect([name, typeof variable.description, (variable.description as string).length > 20]).toEqual([
            name,
            'string',
            true,
          ]);
          expect([name, typeof variable.type]).toEqual([name, 'string']);
        }
      },
    ],
    [
      'variables: site_name, domain_name, hosted_zone_id, aws_region, price_class and the retention days are validated',
      () => {
        for (const name of [
          'site_name',
          'domain_name',
          'hosted_zone_id',
          'aws_region',
          'price_class',
          'noncurrent_version_retention_days',
        ]) {
          const validations = blocks(site.variables[name] ?? {}, 'validation');
          expect([name, validations.length > 0]).toEqual([name, true]);
          for (const validation of validations) {
            expect(validation.condition).toMatch(new RegExp(`var\\.${name}\\b`));
            expect(typeof validation.error_message).toBe('string');
          }
        }
      },
    ],
    [
      'variables: site_name must be lowercase and DNS-safe',
      () => {
        const pattern = regexOf(block(site.variables.site_name as Body, 'validation').condition as string);
        for (const good of ['parlai', 'a', 'my-site-2', 'a'.repeat(32)])
          expect([good, pattern.test(good)]).toEqual([good, true]);
        for (const bad of ['ParlAI', 'my_site', '-site', 'site-', 'a.b', '', 'a'.repeat(33)])
          expect([bad, pattern.test(bad)]).toEqual([bad, false]);
      },
    ],
    [
      'variables: domain_name must be empty or a DNS name (and not www.)',
      () => {
        const validations = blocks(site.variables.domain_name as Body, 'validation');
        const first = validations[0] as Body;
        expect(first.condition).toMatch(/^\$\{var\.domain_name == "" \|\|/);
        const pattern = regexOf(first.condition as string);
        for (const good of ['parl.ai', 'example.org', 'docs.example.co.uk', 'xn--bcher-kva.example'])
          expect([good, pattern.test(good)]).toEqual([good, true]);
        for (const bad of [
          'https://parl.ai',
          'parl.ai/',
          'Parl.AI',
          'localhost',
          'parl..ai',
          '-a.org',
          'a_b.org',
          'parl.ai.',
        ]) {
          expect([bad, pattern.test(bad)]).toEqual([bad, false]);
        }
        expect(
          validations.some((validation) =>
            /startswith\(var\.domain_name, "www\."\)/.test(validation.condition as string),
          ),
        ).toBe(true);
      },
    ],
    [
      'variables: hosted_zone_id looks like a zone ID and is required with a domain',
      () => {
        const validations = blocks(site.variables.hosted_zone_id as Body, 'validation');
        const pattern = regexOf((validations[0] as Body).condition as string);
        for (const good of ['', 'Z0123456789ABCDEFGHIJ', 'Z2FDTNDATAQYW2'])
          expect([good, pattern.test(good)]).toEqual([good, true]);
        for (const bad of ['z123', 'hostedzone/Z123', 'Z12 3']) expect([bad, pattern.test(bad)]).toEqual([bad, false]);
        expect(validations.map((validation) => validation.condition)).toContain(
          '${var.domain_name == "" || var.hosted_zone_id != ""}',
        );
      },
    ],
    [
      'variables: aws_region matches region codes only; price_class is one of the three classes',
      () => {
        const region = regexOf(block(site.variables.aws_region as Body, 'validation').condition as string);
        for (const good of ['us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1', 'il-central-1'])
          expect([good, region.test(good)]).toEqual([good, true]);
        for (const bad of ['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', ''])
          expect([bad, region.test(bad)]).toEqual([bad, false]);
        expect(block(site.variables.price_class as Body, 'validation').condition).toBe(
          '${contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)}',
        );
      },
    ],
    [
      'variables: retention days must be at least 1',
      () => {
        expect(block(site.variables.noncurrent_version_retention_days as Body, 'validation').condition).toMatch(
          /var\.noncurrent_version_retention_days >= 1/,
        );
      },
    ],
    [
      'variables: preview_domain_name is a DNS name, needs preview_distribution and differs from the site',
      () => {
        const validations = blocks(site.variables.preview_domain_name as Body, 'validation');
        const pattern = regexOf((validations[0] as Body).condition as string);
        for (const good of ['preview.parl.ai', 'parlai-previews.net'])
          expect([good, pattern.test(good)]).toEqual([good, true]);
        for (const bad of ['https://preview.parl.ai', 'Preview.parl.ai', 'preview']) {
          expect([bad, pattern.test(bad)]).toEqual([bad, false]);
        }
        const conditions = validations.map((validation) => validation.condition as string);
        expect(conditions).toContain('${var.preview_domain_name == "" || var.preview_distribution}');
        expect(conditions.some((condition) => condition.includes('var.preview_domain_name != var.domain_name'))).toBe(
          true,
        );
      },
    ],
  ];

  it.each(invariants)('%s', (_name, check) => check());
});

describe('terraform/modules/private-bucket (shared bucket hardening)', () => {
  const invariants: Array<[string, () => void]> = [
    [
      'one of each hardening resource, each on var.bucket',
      () => {
        for (const type of HARDENING_TYPES) {
          const [, body] = onlyResource(privateBucket, type);
          expect([type, body.bucket]).toEqual([type, '${var.bucket}']);
        }
      },
    ],
    [
      'the bucket resource itself stays with the caller (prevent_destroy cannot be a variable)',
      () => {
        expect(privateBucket.resources.aws_s3_bucket).toBeUndefined();
        expect(privateBucket.terraform.some((settings) => settings.backend)).toBe(false);
        expect(privateBucket.providers.aws).toBeUndefined();
      },
    ],
    [
      'the module states a provider floor only; the root modules pin the range',
      () => expect(awsConstraint(privateBucket)).toBe('>= 5.100'),
    ],
  ];

  it.each(invariants)('%s', (_name, check) => check());
});

describe('terraform/bootstrap (state bucket)', () => {
  const invariants: Array<[string, () => void]> = [
    ['state bucket: hardened by modules/private-bucket', () => expectEveryBucketHardened(bootstrap)],
    [
      'state bucket: named by a variable, protected from destroy',
      () => {
        const bucket = resource(bootstrap, 'aws_s3_bucket', 'state');
        expect(bucket.bucket).toBe('${var.state_bucket_name}');
        expect(block(bucket, 'lifecycle').prevent_destroy).toBe(true);
        expect(bucket.force_destroy).toBeUndefined();
      },
    ],
    [
      'bootstrap: local state (no backend), Terraform >= 1.10, region from a variable',
      () => {
        expect(bootstrap.terraform.some((settings) => settings.backend)).toBe(false);
        expect(bootstrap.terraform.find((settings) => settings.required_version)?.required_version).toMatch(
          /^>=\s*1\.1\d/,
        );
        expect(bootstrap.providers.aws?.[0]?.region).toBe('${var.region}');
      },
    ],
    [
      'bootstrap: variables described and typed; output state_bucket_name',
      () => {
        for (const name of ['state_bucket_name', 'region']) {
          const variable = bootstrap.variables[name];
          expect([
            name,
            typeof variable?.description,
            typeof variable?.type,
            blocks(variable ?? {}, 'validation').length > 0,
          ]).toEqual([name, 'string', 'string', true]);
        }
        expect(bootstrap.outputs.state_bucket_name?.value).toBe('${aws_s3_bucket.state.id}');
      },
    ],
    [
      'bootstrap: same AWS provider range as the site module',
      () => expect(awsConstraint(bootstrap)).toBe(awsConstraint(site)),
    ],
  ];

  it.each(invariants)('%s', (_name, check) => check());
});
