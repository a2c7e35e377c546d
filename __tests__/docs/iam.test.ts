// The IAM examples (examples/iam) give each duty its own role, trusted only for the runs of that duty and
// allowed only what it needs (#12.2, #14.1, #14.5, #14.10).
import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ANY_WORKFLOW, HARDENED, obtainable } from './checks.js';
import { REPO, ROLES, policyFile, read, toArray, trusts, type Doc, type Role } from './model.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const policy = (file: string) => JSON.parse(read(`examples/iam/${file}`)) as { Statement: Statement[] };
const role = (name: string) => ROLES.find((r) => r.name === name)!;
const statements = (r: Role) => policy(r.policy).Statement;
const actions = (s: Statement) => toArray(s.Action);
const resources = (s: Statement) => toArray(s.Resource);
const READ_ONLY = /^[a-z0-9-]+:(Get|List|Describe)[A-Za-z*]*$/;

/** Writes to versions or to versioning: a rollback needs none of them (it copies old versions forward). */
const VERSION_WRITES = [
  's3:DeleteObjectVersion',
  's3:DeleteObjectVersionTagging',
  's3:PutObjectVersionAcl',
  's3:PutObjectVersionTagging',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:BypassGovernanceRetention',
];

/** Does an IAM action pattern (`s3:*Object*`, `s3:Get*`, `*`) cover this action? (IAM matches case-insensitively.) */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(action);
}

/**
 * What a role needs for `rollback-to` (#20), and what it must not have: s3:GetObjectVersion (HEAD, GET and the
 * CopyObject source with a versionId) on exactly `objects`, in a statement whose Sid says Rollback; not
 * s3:ListBucketVersions (the action never lists versions: the manifest records them); no action that deletes
 * or rewrites versions, or changes versioning or the lifecycle that is the rollback window.
 */
function rollbackProblems(all: Statement[], objects: string): string[] {
  const problems: string[] = [];
  for (const s of all.filter((st) => st.Effect === 'Allow'))
    for (const action of actions(s))
      for (const forbidden of [...VERSION_WRITES, 's3:ListBucketVersions'].filter((w) => covers(action, w)))
        problems.push(`grants ${forbidden} (${s.Sid ?? 'no Sid'}${action === forbidden ? '' : `: ${action}`})`);
  const needs: Array<[string, string, Statement['Condition']]> = [['s3:GetObjectVersion', objects, undefined]];
  for (const [action, resource, condition] of needs) {
    const granting = all.filter((s) => s.Effect === 'Allow' && actions(s).some((a) => covers(a, action)));
    for (const s of granting) {
      const elsewhere = resources(s).filter((r) => r !== resource);
      if (elsewhere.length > 0)
        problems.push(`${action} is granted on ${elsewhere.join(', ')} (${s.Sid ?? 'no Sid'}), not only ${resource}`);
      if (actions(s).includes(action) && !/rollback/i.test(s.Sid ?? ''))
        problems.push(`${action} is granted by ${s.Sid ?? 'a statement without Sid'}, whose Sid does not say Rollback`);
      if (JSON.stringify(s.Condition) !== JSON.stringify(condition))
        problems.push(`${action} (${s.Sid ?? 'no Sid'}) has condition ${JSON.stringify(s.Condition)}`);
    }
    const exact = granting.filter(
      (s) => resources(s).length === 1 && resources(s)[0] === resource && actions(s).includes(action),
    );
    if (exact.length === 0) problems.push(`${action} is not granted on ${resource}`);
  }
  return problems;
}

const REUSABLE = 'YOUR_ORG/parlai-site-deploy/.github/workflows/deploy-site.yml';
const ROLLBACK = 'YOUR_ORG/parlai-site-deploy/.github/workflows/rollback-site.yml';
const OWN_WORKFLOW = 'OWNER/REPO/.github/workflows/website.yml';

/** Subjects of a repository whose OIDC subject is customised with job_workflow_ref (the documented setup). */
const SUBJECTS = {
  mainFromReusable: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${REUSABLE}@refs/tags/v1`,
  mainFromReusableAtMain: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${REUSABLE}@refs/heads/main`,
  mainFromForkOfReusable: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:someone/parlai-site-deploy/.github/workflows/deploy-site.yml@refs/tags/v1`,
  mainFromOwnWorkflow: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${OWN_WORKFLOW}@refs/heads/main`,
  mainFromRollback: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${ROLLBACK}@refs/tags/v1`,
  mainFromRollbackAtMain: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:${ROLLBACK}@refs/heads/main`,
  mainFromForkOfRollback: `repo:OWNER/REPO:ref:refs/heads/main:job_workflow_ref:someone/parlai-site-deploy/.github/workflows/rollback-site.yml@refs/tags/v1`,
  branchFromRollback: `repo:OWNER/REPO:ref:refs/heads/feature:job_workflow_ref:${ROLLBACK}@refs/tags/v1`,
  pullRequestFromRollback: `repo:OWNER/REPO:pull_request:job_workflow_ref:${ROLLBACK}@refs/tags/v1`,
  branchFromReusable: `repo:OWNER/REPO:ref:refs/heads/feature:job_workflow_ref:${REUSABLE}@refs/tags/v1`,
  tagFromReusable: `repo:OWNER/REPO:ref:refs/tags/v1.0.0:job_workflow_ref:${REUSABLE}@refs/tags/v1`,
  pullRequestFromReusable: `repo:OWNER/REPO:pull_request:job_workflow_ref:${REUSABLE}@refs/tags/v1`,
  pullRequestFromOwnWorkflow: `repo:OWNER/REPO:pull_request:job_workflow_ref:${OWN_WORKFLOW}@refs/pull/7/merge`,
  pullRequestFromElsewhere: `repo:OWNER/REPO:pull_request:job_workflow_ref:someone/tools/.github/workflows/x.yml@refs/heads/main`,
  production: `repo:OWNER/REPO:environment:production:job_workflow_ref:${REUSABLE}@refs/tags/v1`,
  otherRepository: `repo:someone/REPO:ref:refs/heads/main:job_workflow_ref:${REUSABLE}@refs/tags/v1`,
  otherPullRequest: `repo:someone/REPO:pull_request:job_workflow_ref:someone/REPO/.github/workflows/website.yml@refs/pull/7/merge`,
  // GitHub's default subjects, which the hardened policies must refuse as well.
  defaultMain: 'repo:OWNER/REPO:ref:refs/heads/main',
  defaultPullRequest: 'repo:OWNER/REPO:pull_request',
};

/** The same runs with GitHub's default subjects, for the any-workflow alternatives. */
const DEFAULT_SUBJECTS = {
  main: 'repo:OWNER/REPO:ref:refs/heads/main',
  branch: 'repo:OWNER/REPO:ref:refs/heads/feature',
  tag: 'repo:OWNER/REPO:ref:refs/tags/v1.0.0',
  pullRequest: 'repo:OWNER/REPO:pull_request',
  production: 'repo:OWNER/REPO:environment:production',
  otherRepository: 'repo:someone/REPO:ref:refs/heads/main',
  otherPullRequest: 'repo:someone/REPO:pull_request',
};

const trustFiles = () => [...new Set(ROLES.flatMap((r) => [r.trust, r.anyWorkflowTrust]))];

describe('trust: who can assume each role', () => {
  it('deploy and infra: a run of main through the reusable workflow at the pinned ref (deploy also through rollback-site.yml); plan: a pull request through it; preview: a pull request through this repository’s workflows', () => {
    const expected: Record<string, string[]> = {
      mainFromReusable: ['deploy', 'infra'],
      mainFromRollback: ['deploy'],
      pullRequestFromReusable: ['plan'],
      pullRequestFromOwnWorkflow: ['preview'],
    };
    for (const [name, sub] of Object.entries(SUBJECTS))
      expect({ name, roles: obtainable(sub, HARDENED.policies).map((r) => r.name) }).toEqual({
        name,
        roles: expected[name] ?? [],
      });
  });

  it('the any-workflow alternatives: a run on main of this repository, or its pull requests, with default subjects', () => {
    for (const [name, sub] of Object.entries(DEFAULT_SUBJECTS))
      expect({ name, roles: obtainable(sub, ANY_WORKFLOW.policies).map((r) => r.name) }).toEqual({
        name,
        roles: name === 'main' ? ['deploy', 'infra'] : name === 'pullRequest' ? ['plan', 'preview'] : [],
      });
  });

  it('pins aud and matches sub exactly, through the GitHub OIDC provider only (the preview role: this repository’s workflows)', () => {
    for (const file of trustFiles()) {
      for (const statement of policy(file).Statement as unknown as Doc[]) {
        expect(statement.Condition.StringEquals['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com');
        expect(statement.Principal).toEqual({
          Federated: 'arn:aws:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com',
        });
        if (file === 'github-oidc-trust-policy-preview.json') {
          // One wildcard, after this repository's own workflow folder: no other repository, no other context.
          expect(statement.Condition).toEqual({
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: {
              'token.actions.githubusercontent.com:sub': [
                'repo:OWNER/REPO:pull_request:job_workflow_ref:OWNER/REPO/.github/workflows/*',
              ],
            },
          });
        } else {
          expect(Object.keys(statement.Condition)).toEqual(['StringEquals']);
        }
      }
    }
  });

  it('each pinned trust file against its table of subjects: deploy through both reusable workflows, infra and plan through deploy-site.yml only', () => {
    const table: Record<string, Array<keyof typeof SUBJECTS>> = {
      'github-oidc-trust-policy.json': ['mainFromReusable', 'mainFromRollback'],
      'github-oidc-trust-policy-infra.json': ['mainFromReusable'],
      'github-oidc-trust-policy-plan.json': ['pullRequestFromReusable'],
      'github-oidc-trust-policy-preview.json': ['pullRequestFromOwnWorkflow'],
    };
    expect(Object.keys(table).sort()).toEqual([...new Set(ROLES.map((r) => r.trust))].sort());
    for (const [file, trusted] of Object.entries(table))
      expect({
        file,
        trusted: Object.entries(SUBJECTS)
          .filter(([, sub]) => trusts(policyFile(file), sub))
          .map(([name]) => name),
      }).toEqual({ file, trusted });
  });

  it('each any-workflow trust file against its table of default subjects', () => {
    const table: Record<string, Array<keyof typeof DEFAULT_SUBJECTS>> = {
      'github-oidc-trust-policy-any-workflow.json': ['main'],
      'github-oidc-trust-policy-pull-request-any-workflow.json': ['pullRequest'],
    };
    expect(Object.keys(table).sort()).toEqual([...new Set(ROLES.map((r) => r.anyWorkflowTrust))].sort());
    for (const [file, trusted] of Object.entries(table))
      expect({
        file,
        trusted: Object.entries(DEFAULT_SUBJECTS)
          .filter(([, sub]) => trusts(policyFile(file), sub))
          .map(([name]) => name),
      }).toEqual({ file, trusted });
  });

  it('every trust policy in examples/iam belongs to a role', () => {
    const files = readdirSync(path.join(REPO, 'examples/iam')).filter((name) =>
      /^github-oidc-trust-policy.*\.json$/.test(name),
    );
    expect(files.sort()).toEqual(trustFiles().sort());
  });

  it('the main-branch and plan roles name the reusable workflows at WORKFLOW_REF, filled in by the guide', () => {
    const pinned = (r: Role) =>
      toArray<string>(
        (policy(r.trust).Statement[0] as unknown as Doc).Condition.StringEquals[
          'token.actions.githubusercontent.com:sub'
        ],
      ).map(
        (sub) =>
          /:job_workflow_ref:YOUR_ORG\/parlai-site-deploy\/\.github\/workflows\/([a-z-]+\.yml)@WORKFLOW_REF$/.exec(
            sub,
          )?.[1] ?? sub,
      );
    expect(pinned(role('deploy'))).toEqual(['deploy-site.yml', 'rollback-site.yml']);
    expect(pinned(role('infra'))).toEqual(['deploy-site.yml']);
    expect(pinned(role('plan'))).toEqual(['deploy-site.yml']);
    const guide = read('examples/iam/README.md');
    expect(guide).toMatch(/-e "s#WORKFLOW_REF#\$\{WORKFLOW_REF\}#g"/);
    expect(guide).toMatch(/-e "s#YOUR_ORG#\$\{YOUR_ORG\}#g"/);
  });

  it('the guide creates each role from its own trust file', () => {
    const guide = read('examples/iam/README.md');
    for (const r of ROLES) {
      const created = new RegExp(
        `aws iam create-role --role-name site-${r.name} --assume-role-policy-document file:///tmp/([a-z-]+)\\.json`,
      ).exec(guide);
      expect({ role: r.name, created: created !== null }).toEqual({ role: r.name, created: true });
      const filled = new RegExp(`fill ${r.trust.replace(/[.]/g, '\\.')} > /tmp/${created![1]}\\.json`);
      expect({ role: r.name, filled: filled.test(guide) }).toEqual({ role: r.name, filled: true });
    }
  });

  it('documents the environment setup (branch rule, reviewers) before any environment is trusted', () => {
    const environments = trustFiles()
      .flatMap((file) =>
        (policy(file).Statement as unknown as Doc[]).flatMap((s) =>
          Object.values(s.Condition as Record<string, Doc>).flatMap((block) =>
            toArray<string>(block['token.actions.githubusercontent.com:sub']),
          ),
        ),
      )
      .filter((sub) => sub.includes(':environment:'));
    const guide = read('examples/iam/README.md');
    if (environments.length > 0 || /environment:production/.test(guide)) {
      expect(guide).toMatch(/Deployment branches and tags[^\n]*\n?[^\n]*only `main`/);
      expect(guide).toMatch(/Required reviewers/);
      expect(guide.indexOf('Required reviewers')).toBeLessThan(guide.indexOf('only then replace'));
    }
  });

  it('the model of the trust check rejects what IAM would reject', () => {
    const base = policyFile('github-oidc-trust-policy.json');
    expect(trusts(base, SUBJECTS.mainFromReusable)).toBe(true);
    const noAud = structuredClone(base);
    delete noAud.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:aud'];
    expect(trusts(noAud, SUBJECTS.mainFromReusable)).toBe(false);
    const wildcard = structuredClone(base);
    wildcard.Statement[0].Condition = {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:OWNER/REPO:*' },
    };
    expect(trusts(wildcard, SUBJECTS.branchFromReusable)).toBe(true);
  });
});

describe('permissions: what each role may do', () => {
  it('plan is read-only, and does not write the Terraform lock (#14.10)', () => {
    for (const statement of statements(role('plan')))
      for (const action of actions(statement))
        expect({ action, readOnly: READ_ONLY.test(action) }).toEqual({ action, readOnly: true });
    const state = statements(role('plan')).filter((s) => resources(s).some((r) => r.includes('STATE_BUCKET/')));
    expect(state.flatMap(resources)).toEqual(['arn:aws:s3:::STATE_BUCKET/parlai-site-deploy/SITE_NAME.tfstate']);
  });

  it('preview: only pr-*/ keys, listing only pr-*/ prefixes, invalidating only the preview distribution, syncing only the preview redirect store', () => {
    const all = statements(role('preview'));
    for (const s of all) {
      for (const resource of resources(s)) {
        if (resource.startsWith('arn:aws:s3:::BUCKET/')) expect(resource).toBe('arn:aws:s3:::BUCKET/pr-*/*');
        if (resource.startsWith('arn:aws:cloudfront:'))
          expect(resource).toBe(
            actions(s).every((a) => a.startsWith('cloudfront-keyvaluestore:'))
              ? 'arn:aws:cloudfront::ACCOUNT_ID:key-value-store/PREVIEW_KEY_VALUE_STORE_ID'
              : 'arn:aws:cloudfront::ACCOUNT_ID:distribution/PREVIEW_DISTRIBUTION_ID',
          );
        expect(resource).not.toBe('*');
      }
      if (actions(s).includes('s3:ListBucket')) expect(s.Condition).toEqual({ StringLike: { 's3:prefix': ['pr-*/'] } });
    }
    expect(all.flatMap(actions).sort()).toEqual(
      [
        's3:ListBucket',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:DeleteObject',
        's3:AbortMultipartUpload',
        'cloudfront:CreateInvalidation',
        'cloudfront:GetInvalidation',
        'cloudfront-keyvaluestore:DescribeKeyValueStore',
        'cloudfront-keyvaluestore:ListKeys',
        'cloudfront-keyvaluestore:GetKey',
        'cloudfront-keyvaluestore:UpdateKeys',
      ].sort(),
    );
  });

  it('deploy: the bucket, the production distribution and its redirect store, nothing of Terraform, DNS or certificates', () => {
    const all = statements(role('deploy'));
    expect(
      all
        .flatMap(actions)
        .filter(
          (a) =>
            !/^(s3:(ListBucket|GetObject|GetObjectVersion|PutObject|DeleteObject|AbortMultipartUpload)|cloudfront:(Create|Get)Invalidation|cloudfront-keyvaluestore:(DescribeKeyValueStore|ListKeys|GetKey|UpdateKeys))$/.test(
              a,
            ),
        ),
    ).toEqual([]);
    expect([...new Set(all.flatMap(resources))].sort()).toEqual(
      [
        'arn:aws:s3:::BUCKET',
        'arn:aws:s3:::BUCKET/*',
        'arn:aws:cloudfront::ACCOUNT_ID:distribution/DISTRIBUTION_ID',
        'arn:aws:cloudfront::ACCOUNT_ID:key-value-store/KEY_VALUE_STORE_ID',
      ].sort(),
    );
  });

  describe('redirects (#17): who may write which redirect store', () => {
    /** The store ARNs a role may use `action` on, statement by statement. */
    const granted = (r: Role, action: string) =>
      statements(r)
        .filter((s) => s.Effect === 'Allow' && actions(s).some((a) => covers(a, action)))
        .flatMap(resources)
        .sort();
    const SYNC = [
      'cloudfront-keyvaluestore:DescribeKeyValueStore',
      'cloudfront-keyvaluestore:ListKeys',
      'cloudfront-keyvaluestore:GetKey',
      'cloudfront-keyvaluestore:UpdateKeys',
    ];

    it('deploy syncs the production store; preview only the preview store (a pull request cannot change production redirects)', () => {
      for (const action of SYNC) {
        expect(granted(role('deploy'), action)).toEqual([
          'arn:aws:cloudfront::ACCOUNT_ID:key-value-store/KEY_VALUE_STORE_ID',
        ]);
        expect(granted(role('preview'), action)).toEqual([
          'arn:aws:cloudfront::ACCOUNT_ID:key-value-store/PREVIEW_KEY_VALUE_STORE_ID',
        ]);
      }
    });

    it('the sync statements carry exactly the four actions the sync calls, on one store each', () => {
      for (const [r, sid] of [
        ['deploy', 'SyncRedirectStore'],
        ['preview', 'SyncPreviewRedirectStoreOnly'],
      ] as const) {
        const statement = statements(role(r)).find((s) => s.Sid === sid)!;
        expect(actions(statement)).toEqual(SYNC);
        expect(resources(statement)).toHaveLength(1);
      }
    });

    it('no role writes keys but deploy and preview; plan reads the production store for a dry run; infra manages stores, not keys', () => {
      for (const r of ROLES) {
        const writes = ['UpdateKeys', 'PutKey', 'DeleteKey'].flatMap((a) =>
          granted(r, `cloudfront-keyvaluestore:${a}`).map((resource) => `${a} ${resource}`),
        );
        expect({ role: r.name, writes }).toEqual({
          role: r.name,
          writes:
            r.name === 'deploy'
              ? ['UpdateKeys arn:aws:cloudfront::ACCOUNT_ID:key-value-store/KEY_VALUE_STORE_ID']
              : r.name === 'preview'
                ? ['UpdateKeys arn:aws:cloudfront::ACCOUNT_ID:key-value-store/PREVIEW_KEY_VALUE_STORE_ID']
                : [],
        });
      }
      expect(granted(role('plan'), 'cloudfront-keyvaluestore:ListKeys')).toEqual([
        'arn:aws:cloudfront::ACCOUNT_ID:key-value-store/KEY_VALUE_STORE_ID',
      ]);
      expect(granted(role('infra'), 'cloudfront:CreateKeyValueStore')).toEqual([
        'arn:aws:cloudfront::ACCOUNT_ID:key-value-store/*',
      ]);
      expect(granted(role('infra'), 'cloudfront:DescribeKeyValueStore')).toEqual(['*']);
    });
  });

  describe('rollback (#20): deploy and preview may read old versions, and nothing more', () => {
    it('deploy: s3:GetObjectVersion on the objects under a Rollback Sid, and no s3:ListBucketVersions (never used)', () => {
      expect(rollbackProblems(statements(role('deploy')), 'arn:aws:s3:::BUCKET/*')).toEqual([]);
    });

    it('preview: the same, for pr-*/ keys only (objects pr-*/*)', () => {
      expect(rollbackProblems(statements(role('preview')), 'arn:aws:s3:::BUCKET/pr-*/*')).toEqual([]);
    });

    it('no role but infra may touch versions or versioning (infra creates the bucket with versioning on)', () => {
      for (const r of ROLES.filter((candidate) => candidate.name !== 'infra')) {
        const granted = statements(r).flatMap(actions);
        expect({ role: r.name, granted: granted.filter((a) => VERSION_WRITES.some((w) => covers(a, w))) }).toEqual({
          role: r.name,
          granted: [],
        });
      }
    });

    it('the check fails when DeleteObjectVersion is granted, when GetObjectVersion is missing, or when it is too broad', () => {
      const deploy = () => structuredClone(statements(role('deploy')));
      const check = (all: Statement[]) => rollbackProblems(all, 'arn:aws:s3:::BUCKET/*');

      const deletes = deploy();
      deletes.find((s) => s.Sid === 'RollbackReadSiteObjectVersions')!.Action = [
        's3:GetObjectVersion',
        's3:DeleteObjectVersion',
      ];
      expect(check(deletes)).toEqual(['grants s3:DeleteObjectVersion (RollbackReadSiteObjectVersions)']);

      const wildcard = deploy();
      wildcard.find((s) => s.Sid === 'ReadWriteSiteObjects')!.Action = 's3:*Object*';
      expect(check(wildcard)).toEqual(
        expect.arrayContaining(['grants s3:DeleteObjectVersion (ReadWriteSiteObjects: s3:*Object*)']),
      );

      const versioning = deploy();
      versioning.push({
        Sid: 'Oops',
        Effect: 'Allow',
        Action: 's3:PutBucketVersioning',
        Resource: 'arn:aws:s3:::BUCKET',
      });
      expect(check(versioning)).toEqual(['grants s3:PutBucketVersioning (Oops)']);

      const missing = deploy().filter((s) => s.Sid !== 'RollbackReadSiteObjectVersions');
      expect(check(missing)).toEqual(['s3:GetObjectVersion is not granted on arn:aws:s3:::BUCKET/*']);

      const listing = deploy();
      listing.push({
        Sid: 'RollbackList',
        Effect: 'Allow',
        Action: 's3:ListBucketVersions',
        Resource: 'arn:aws:s3:::BUCKET',
      });
      expect(check(listing)).toEqual(['grants s3:ListBucketVersions (RollbackList)']);

      const broad = deploy();
      broad.find((s) => s.Sid === 'RollbackReadSiteObjectVersions')!.Resource = '*';
      expect(check(broad)).toEqual([
        's3:GetObjectVersion is granted on * (RollbackReadSiteObjectVersions), not only arn:aws:s3:::BUCKET/*',
        's3:GetObjectVersion is not granted on arn:aws:s3:::BUCKET/*',
      ]);

      const unnamed = deploy();
      unnamed.find((s) => s.Sid === 'RollbackReadSiteObjectVersions')!.Sid = 'ReadVersions';
      expect(check(unnamed)).toEqual([
        's3:GetObjectVersion is granted by ReadVersions, whose Sid does not say Rollback',
      ]);
    });
  });

  describe('infra (Terraform) is scoped by name and tag (#14.5)', () => {
    const all = statements(role('infra'));

    it('writes nothing on Resource "*"', () => {
      const broad = all
        .filter((s) => resources(s).includes('*'))
        .flatMap(actions)
        .filter((a) => !READ_ONLY.test(a) && a !== 'sts:GetCallerIdentity');
      expect(broad).toEqual([]);
    });

    it('uses no write wildcard (s3:PutBucket* and the like)', () => {
      expect(all.flatMap(actions).filter((a) => a.includes('*') && !READ_ONLY.test(a))).toEqual([]);
    });

    it('only this site’s state object and its lock', () => {
      const state = all.filter((s) => resources(s).some((r) => r.includes('STATE_BUCKET/'))).flatMap(resources);
      expect(state.sort()).toEqual([
        'arn:aws:s3:::STATE_BUCKET/parlai-site-deploy/SITE_NAME.tfstate',
        'arn:aws:s3:::STATE_BUCKET/parlai-site-deploy/SITE_NAME.tfstate.tflock',
      ]);
    });

    it('changes or deletes distributions and certificates only with the site tag', () => {
      for (const s of all) {
        const dangerous = actions(s).filter((a) =>
          /^(cloudfront:(UpdateDistribution|DeleteDistribution|UntagResource)|acm:(DeleteCertificate|RemoveTagsFromCertificate))$/.test(
            a,
          ),
        );
        if (dangerous.length === 0) continue;
        expect({ dangerous, condition: s.Condition }).toEqual({
          dangerous,
          condition: { StringEquals: { 'aws:ResourceTag/parlai-site-deploy:site': 'SITE_NAME' } },
        });
      }
      const create = all.filter((s) =>
        actions(s).some((a) => a === 'cloudfront:CreateDistribution' || a === 'acm:RequestCertificate'),
      );
      expect(create.length).toBe(2);
      for (const s of create)
        expect(s.Condition?.StringEquals?.['aws:RequestTag/parlai-site-deploy:site']).toBe('SITE_NAME');
    });

    it('the tag it relies on is the one the module puts on everything', () => {
      expect(read('terraform/providers.tf')).toMatch(/"parlai-site-deploy:site"\s*=\s*var\.site_name/);
    });

    it('changes only the site’s own DNS names and types in its zone', () => {
      const change = all.filter((s) => actions(s).includes('route53:ChangeResourceRecordSets'));
      expect(change.length).toBe(1);
      expect(resources(change[0]!)).toEqual(['arn:aws:route53:::hostedzone/HOSTED_ZONE_ID']);
      expect(change[0]!.Condition).toEqual({
        'ForAllValues:StringLike': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['DOMAIN_NAME', 'www.DOMAIN_NAME', '_*.DOMAIN_NAME'],
        },
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME'] },
      });
    });

    it('bucket actions only on buckets named for the site', () => {
      for (const s of all.filter((st) =>
        actions(st).some((a) => a.startsWith('s3:') && a !== 's3:ListBucket' && !/Object$/.test(a)),
      ))
        expect(resources(s)).toEqual(['arn:aws:s3:::SITE_NAME-ACCOUNT_ID-*']);
    });
  });

  it('every policy file is valid JSON with Version 2012-10-17, and each role is documented with its files', () => {
    const guide = read('examples/iam/README.md');
    for (const r of ROLES) {
      expect(policy(r.policy)).toMatchObject({ Version: '2012-10-17' });
      const row = guide.split('\n').find((line) => line.startsWith(`| \`site-${r.name}\``));
      expect({ role: r.name, row: row ?? '' }).toEqual({
        role: r.name,
        row: expect.stringContaining(`\`${r.trust}\``) as unknown as string,
      });
      expect(row).toContain(`\`${r.policy}\``);
      expect(row).toContain(`\`${r.anyWorkflowTrust}\``);
      expect(row).toContain(r.variable);
    }
  });
});
