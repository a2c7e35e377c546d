// Security and shape invariants of the Terraform module in terraform/ (and terraform/bootstrap/), checked
// offline: every .tf file is parsed with @cdktn/hcl2json and the assertions read the actual attribute
// values. No Terraform binary, provider or AWS account is involved.
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
}

const ROOT = path.resolve(process.cwd(), 'terraform');
const BOOTSTRAP = path.join(ROOT, 'bootstrap');

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

function policyStatement(document: Body, sid: string): Body {
  const statement = blocks(document, 'statement').find((candidate) => candidate.sid === sid);
  if (!statement) throw new Error(`policy statement ${sid} not found`);
  return statement;
}

function expectPublicAccessBlocked(module: Module, bucketRef: string): void {
  const [, pab] = onlyResource(module, 'aws_s3_bucket_public_access_block');
  expect(pab.bucket).toBe(`\${${bucketRef}.id}`);
  expect({
    block_public_acls: pab.block_public_acls,
    block_public_policy: pab.block_public_policy,
    ignore_public_acls: pab.ignore_public_acls,
    restrict_public_buckets: pab.restrict_public_buckets,
  }).toEqual({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
}

function expectOwnerEnforced(module: Module, bucketRef: string): void {
  const [, ownership] = onlyResource(module, 'aws_s3_bucket_ownership_controls');
  expect(ownership.bucket).toBe(`\${${bucketRef}.id}`);
  expect(block(ownership, 'rule').object_ownership).toBe('BucketOwnerEnforced');
}

function expectEncrypted(module: Module, bucketRef: string): void {
  const [, sse] = onlyResource(module, 'aws_s3_bucket_server_side_encryption_configuration');
  expect(sse.bucket).toBe(`\${${bucketRef}.id}`);
  const rule = block(sse, 'rule');
  expect(block(rule, 'apply_server_side_encryption_by_default').sse_algorithm).toBe('AES256');
  expect(rule.bucket_key_enabled).toBe(true);
}

function expectVersioned(module: Module, bucketRef: string): void {
  const [, versioning] = onlyResource(module, 'aws_s3_bucket_versioning');
  expect(versioning.bucket).toBe(`\${${bucketRef}.id}`);
  expect(block(versioning, 'versioning_configuration').status).toBe('Enabled');
}

function expectDenyInsecureTransport(document: Body, bucketRef: string): void {
  const deny = blocks(document, 'statement').find(
    (statement) =>
      statement.effect === 'Deny' &&
      blocks(statement, 'condition').some(
        (condition) =>
          condition.test === 'Bool' &&
          condition.variable === 'aws:SecureTransport' &&
          JSON.stringify(condition.values) === '["false"]',
      ),
  );
  expect(deny).toBeDefined();
  expect(deny?.actions).toEqual(['s3:*']);
  expect(deny?.resources).toEqual(expect.arrayContaining([`\${${bucketRef}.arn}`, `\${${bucketRef}.arn}/*`]));
  expect(blocks(deny as Body, 'principals')).toEqual([{ type: '*', identifiers: ['*'] }]);
}

let site: Module;
let bootstrap: Module;

beforeAll(async () => {
  site = await loadModule(ROOT);
  bootstrap = await loadModule(BOOTSTRAP);
});

describe('terraform/ (site module)', () => {
  it('parses every .tf file', () => {
    expect(site.files).toEqual(expect.arrayContaining(['versions.tf', 'variables.tf', 'outputs.tf']));
    expect(Object.keys(site.resources).length).toBeGreaterThan(5);
  });

  const invariants: Array<[string, () => void]> = [
    // ---- content bucket ----
    [
      'content bucket: public access block has all four flags on',
      () => expectPublicAccessBlocked(site, 'aws_s3_bucket.site'),
    ],
    ['content bucket: ownership BucketOwnerEnforced (ACLs off)', () => expectOwnerEnforced(site, 'aws_s3_bucket.site')],
    ['content bucket: SSE-S3 AES256 with bucket key', () => expectEncrypted(site, 'aws_s3_bucket.site')],
    ['content bucket: versioning Enabled', () => expectVersioned(site, 'aws_s3_bucket.site')],
    [
      'content bucket: noncurrent versions expire after var days (default 30); multipart aborted after 7 days',
      () => {
        const lifecycle = resource(site, 'aws_s3_bucket_lifecycle_configuration', 'site');
        const rule = block(lifecycle, 'rule');
        expect(rule.status).toBe('Enabled');
        expect(block(rule, 'noncurrent_version_expiration').noncurrent_days).toBe(
          '${var.noncurrent_version_retention_days}',
        );
        expect(block(rule, 'abort_incomplete_multipart_upload').days_after_initiation).toBe(7);
        expect(site.variables.noncurrent_version_retention_days?.default).toBe(30);
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
    // ---- bucket policy ----
    [
      'bucket policy: s3:GetObject only for the cloudfront.amazonaws.com service, only from this distribution (aws:SourceArn)',
      () => {
        const document = data(site, 'aws_iam_policy_document', 'site_bucket');
        const get = policyStatement(document, 'AllowCloudFrontReadObjects');
        expect(get.effect).toBe('Allow');
        expect(get.actions).toEqual(['s3:GetObject']);
        expect(get.resources).toEqual(['${aws_s3_bucket.site.arn}/*']);
        expect(blocks(get, 'principals')).toEqual([{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }]);
        expect(blocks(get, 'condition')).toEqual([
          { test: 'StringEquals', variable: 'aws:SourceArn', values: ['${aws_cloudfront_distribution.site.arn}'] },
        ]);
      },
    ],
    [
      'bucket policy: every Allow is for the CloudFront service principal with the aws:SourceArn condition',
      () => {
        const document = data(site, 'aws_iam_policy_document', 'site_bucket');
        const allows = blocks(document, 'statement').filter((statement) => (statement.effect ?? 'Allow') === 'Allow');
        expect(allows.length).toBeGreaterThan(0);
        for (const allow of allows) {
          expect(blocks(allow, 'principals')).toEqual([{ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] }]);
          expect(blocks(allow, 'condition')).toContainEqual({
            test: 'StringEquals',
            variable: 'aws:SourceArn',
            values: ['${aws_cloudfront_distribution.site.arn}'],
          });
          for (const action of allow.actions as string[]) expect(['s3:GetObject', 's3:ListBucket']).toContain(action);
        }
      },
    ],
    [
      'bucket policy: denies any request without TLS (aws:SecureTransport = false)',
      () => expectDenyInsecureTransport(data(site, 'aws_iam_policy_document', 'site_bucket'), 'aws_s3_bucket.site'),
    ],
    [
      'bucket policy: denies CloudFront the deploy manifest at any depth',
      () => {
        const deny = policyStatement(
          data(site, 'aws_iam_policy_document', 'site_bucket'),
          'DenyCloudFrontDeployManifest',
        );
        expect(deny.effect).toBe('Deny');
        expect(deny.actions).toEqual(['s3:GetObject']);
        expect(resolve(site, '${local.manifest_name}')).toBe('.parlai-site-deploy.json.gz');
        expect(deny.resources).toEqual([
          '${aws_s3_bucket.site.arn}/${local.manifest_name}',
          '${aws_s3_bucket.site.arn}/*/${local.manifest_name}',
        ]);
      },
    ],
    [
      'bucket policy: attached to the content bucket from the policy document',
      () => {
        const policy = resource(site, 'aws_s3_bucket_policy', 'site');
        expect(policy.bucket).toBe('${aws_s3_bucket.site.id}');
        expect(policy.policy).toBe('${data.aws_iam_policy_document.site_bucket.json}');
      },
    ],
    // ---- origin access ----
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
      'origin: the bucket REST endpoint (bucket_regional_domain_name) with the OAC, no s3_origin_config/custom_origin_config',
      () => {
        const origin = block(resource(site, 'aws_cloudfront_distribution', 'site'), 'origin');
        expect(origin.domain_name).toBe('${aws_s3_bucket.site.bucket_regional_domain_name}');
        expect(origin.origin_access_control_id).toBe('${aws_cloudfront_origin_access_control.site.id}');
        expect(origin.s3_origin_config).toBeUndefined();
        expect(origin.custom_origin_config).toBeUndefined();
      },
    ],
    // ---- function ----
    [
      'function: cloudfront-js-2.0, published, code loaded with file() from functions/viewer-request.js',
      () => {
        const fn = resource(site, 'aws_cloudfront_function', 'viewer_request');
        expect(fn.runtime).toBe('cloudfront-js-2.0');
        expect(fn.publish).toBe(true);
        expect(fn.code).toBe('${file("${path.module}/functions/viewer-request.js")}');
        expect(existsSync(path.join(ROOT, 'functions', 'viewer-request.js'))).toBe(true);
      },
    ],
    [
      'function: associated as viewer-request on the default behavior',
      () => {
        const behavior = block(resource(site, 'aws_cloudfront_distribution', 'site'), 'default_cache_behavior');
        expect(blocks(behavior, 'function_association')).toEqual([
          { event_type: 'viewer-request', function_arn: '${aws_cloudfront_function.viewer_request.arn}' },
        ]);
      },
    ],
    // ---- distribution ----
    [
      'distribution: default root object index.html; enabled',
      () => {
        const distribution = resource(site, 'aws_cloudfront_distribution', 'site');
        expect(distribution.default_root_object).toBe('index.html');
        expect(distribution.enabled).toBe(true);
      },
    ],
    [
      'distribution: 403 and 404 both become /404.html with status 404, cached 10 s',
      () => {
        const responses = blocks(resource(site, 'aws_cloudfront_distribution', 'site'), 'custom_error_response');
        const byCode = Object.fromEntries(responses.map((response) => [response.error_code, response]));
        for (const code of [403, 404]) {
          expect(byCode[code]).toEqual({
            error_code: code,
            response_code: 404,
            response_page_path: '/404.html',
            error_caching_min_ttl: 10,
          });
        }
      },
    ],
    [
      'distribution: default behavior uses the managed CachingOptimized policy, compresses, GET/HEAD only, redirects to HTTPS',
      () => {
        const behavior = block(resource(site, 'aws_cloudfront_distribution', 'site'), 'default_cache_behavior');
        const ref = /^\$\{data\.aws_cloudfront_cache_policy\.([a-z0-9_]+)\.id\}$/.exec(
          behavior.cache_policy_id as string,
        );
        expect(ref).not.toBeNull();
        expect(data(site, 'aws_cloudfront_cache_policy', ref?.[1] as string).name).toBe('Managed-CachingOptimized');
        expect(behavior.compress).toBe(true);
        expect(behavior.allowed_methods).toEqual(['GET', 'HEAD']);
        expect(behavior.cached_methods).toEqual(['GET', 'HEAD']);
        expect(behavior.viewer_protocol_policy).toBe('redirect-to-https');
        expect(behavior.target_origin_id).toBe(
          block(resource(site, 'aws_cloudfront_distribution', 'site'), 'origin').origin_id,
        );
        // No legacy forwarded_values / TTLs next to a cache policy.
        expect(behavior.forwarded_values).toBeUndefined();
      },
    ],
    [
      'distribution: HTTP/2 and HTTP/3, IPv6, price class from a variable defaulting to PriceClass_100',
      () => {
        const distribution = resource(site, 'aws_cloudfront_distribution', 'site');
        expect(distribution.http_version).toBe('http2and3');
        expect(distribution.is_ipv6_enabled).toBe(true);
        expect(distribution.price_class).toBe('${var.price_class}');
        expect(site.variables.price_class?.default).toBe('PriceClass_100');
      },
    ],
    [
      'response headers: HSTS >= 1 year with includeSubdomains, preload, override; nosniff; frame options; referrer policy',
      () => {
        const behavior = block(resource(site, 'aws_cloudfront_distribution', 'site'), 'default_cache_behavior');
        const ref = /^\$\{aws_cloudfront_response_headers_policy\.([a-z0-9_]+)\.id\}$/.exec(
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
      },
    ],
    // ---- custom domain ----
    [
      'custom domain: the switch is domain_name != ""',
      () => {
        expect(site.locals.custom_domain).toBe('${var.domain_name != ""}');
        expect(site.variables.domain_name?.default).toBe('');
      },
    ],
    [
      'custom domain: ACM certificate in us-east-1 (provider alias) for apex + www, DNS validated, only with a domain',
      () => {
        const alias = (site.providers.aws ?? []).find((provider) => provider.alias === 'us_east_1');
        expect(alias?.region).toBe('us-east-1');
        const certificate = resource(site, 'aws_acm_certificate', 'site');
        expect(certificate.provider).toBe('${aws.us_east_1}');
        expect(certificate.count).toBe('${local.custom_domain ? 1 : 0}');
        expect(certificate.domain_name).toBe('${var.domain_name}');
        expect(certificate.subject_alternative_names).toEqual(['www.${var.domain_name}']);
        expect(certificate.validation_method).toBe('DNS');
        expect(block(certificate, 'lifecycle').create_before_destroy).toBe(true);
      },
    ],
    [
      'custom domain: validation CNAMEs in the hosted zone and an aws_acm_certificate_validation in us-east-1',
      () => {
        const records = resource(site, 'aws_route53_record', 'certificate_validation');
        expect(records.zone_id).toBe('${var.hosted_zone_id}');
        expect(records.for_each).toBe('${toset(local.site_domains)}');
        expect(records.name).toMatch(/resource_record_name/);
        expect(records.type).toMatch(/resource_record_type/);
        expect(JSON.stringify(records.records)).toMatch(/resource_record_value/);
        expect(site.locals.certificate_validation_options).toMatch(
          /aws_acm_certificate\.site\[\*\]\.domain_validation_options/,
        );
        const validation = resource(site, 'aws_acm_certificate_validation', 'site');
        expect(validation.provider).toBe('${aws.us_east_1}');
        expect(validation.count).toBe('${local.custom_domain ? 1 : 0}');
        expect(validation.certificate_arn).toBe('${aws_acm_certificate.site[0].arn}');
        expect(validation.validation_record_fqdns).toMatch(/aws_route53_record\.certificate_validation/);
      },
    ],
    [
      'custom domain: aliases apex + www; viewer certificate is the validated ACM one, sni-only, TLSv1.2_2021; else the default certificate',
      () => {
        const distribution = resource(site, 'aws_cloudfront_distribution', 'site');
        expect(distribution.aliases).toBe('${local.site_domains}');
        expect(site.locals.site_domains).toBe(
          '${local.custom_domain ? [var.domain_name, "www.${var.domain_name}"] : []}',
        );
        const certificate = block(distribution, 'viewer_certificate');
        expect(certificate.cloudfront_default_certificate).toBe('${!local.custom_domain}');
        expect(certificate.acm_certificate_arn).toBe(
          '${local.custom_domain ? one(aws_acm_certificate_validation.site[*].certificate_arn) : null}',
        );
        expect(certificate.ssl_support_method).toBe('${local.custom_domain ? "sni-only" : null}');
        expect(certificate.minimum_protocol_version).toBe('${local.custom_domain ? "TLSv1.2_2021" : null}');
      },
    ],
    [
      'custom domain: A and AAAA alias records to the distribution for apex and www',
      () => {
        const aliasRecords = Object.values(site.resources.aws_route53_record ?? {}).filter(
          (record) => blocks(record, 'alias').length > 0,
        );
        expect(aliasRecords.map((record) => record.type).sort()).toEqual(['A', 'AAAA']);
        for (const record of aliasRecords) {
          expect(record.for_each).toBe('${toset(local.site_domains)}');
          expect(record.name).toBe('${each.value}');
          expect(record.zone_id).toBe('${var.hosted_zone_id}');
          expect(block(record, 'alias')).toEqual({
            name: '${aws_cloudfront_distribution.site.domain_name}',
            zone_id: '${aws_cloudfront_distribution.site.hosted_zone_id}',
            evaluate_target_health: false,
          });
        }
      },
    ],
    // ---- state, versions ----
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
      'versions: Terraform >= 1.10, AWS provider pinned with a pessimistic (~>) constraint',
      () => {
        const settings = site.terraform.find((candidate) => candidate.required_version);
        const match = /^>=\s*(\d+)\.(\d+)/.exec(settings?.required_version as string);
        expect(match).not.toBeNull();
        expect(Number(match?.[1]) * 1000 + Number(match?.[2])).toBeGreaterThanOrEqual(1010);
        const providers = block(settings as Body, 'required_providers');
        expect(providers.aws.source).toBe('hashicorp/aws');
        expect(providers.aws.version).toMatch(/^~>\s*\d+\.\d+$/);
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
    // ---- variables and outputs ----
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
      'outputs: bucket_name, distribution_id, distribution_domain_name, site_url (https://domain or https://cloudfront domain)',
      () => {
        expect(site.outputs.bucket_name?.value).toBe('${aws_s3_bucket.site.id}');
        expect(site.outputs.distribution_id?.value).toBe('${aws_cloudfront_distribution.site.id}');
        expect(site.outputs.distribution_domain_name?.value).toBe('${aws_cloudfront_distribution.site.domain_name}');
        expect(site.outputs.site_url?.value).toBe(
          '${local.custom_domain ? "https://${var.domain_name}" : "https://${aws_cloudfront_distribution.site.domain_name}"}',
        );
        for (const output of Object.values(site.outputs)) expect(typeof output.description).toBe('string');
      },
    ],
  ];

  it.each(invariants)('%s', (_name, check) => check());
});

describe('terraform/bootstrap (state bucket)', () => {
  const invariants: Array<[string, () => void]> = [
    [
      'state bucket: public access block has all four flags on',
      () => expectPublicAccessBlocked(bootstrap, 'aws_s3_bucket.state'),
    ],
    ['state bucket: ownership BucketOwnerEnforced', () => expectOwnerEnforced(bootstrap, 'aws_s3_bucket.state')],
    ['state bucket: SSE-S3 AES256 with bucket key', () => expectEncrypted(bootstrap, 'aws_s3_bucket.state')],
    ['state bucket: versioning Enabled', () => expectVersioned(bootstrap, 'aws_s3_bucket.state')],
    [
      'state bucket: policy denies non-TLS access and is attached',
      () => {
        const [name, document] = Object.entries(bootstrap.data.aws_iam_policy_document ?? {})[0] ?? [];
        expect(name).toBeDefined();
        expectDenyInsecureTransport(document as Body, 'aws_s3_bucket.state');
        const [, policy] = onlyResource(bootstrap, 'aws_s3_bucket_policy');
        expect(policy.policy).toBe(`\${data.aws_iam_policy_document.${name}.json}`);
      },
    ],
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
  ];

  it.each(invariants)('%s', (_name, check) => check());
});
