// GENERATED from action.yml by tools/action-inputs.mjs (npm run bundle runs it): do not edit.
import type { InputSpec } from './inputs.js';

export const ACTION_INPUTS: readonly InputSpec[] = [
  {
    name: 'build-command',
    default: '',
    required: false,
    description:
      'Shell command (bash, -e -o pipefail) run first, in working-directory, without AWS credentials, tokens or inputs in its environment (see build-env). A non-zero exit fails the step and nothing is deployed.',
  },
  {
    name: 'build-env',
    default: '',
    required: false,
    description:
      'Variables build-command gets although they are withheld from it by default, one name a line. Withheld: every AWS_*, ACTIONS_* and INPUT_* variable, GITHUB_ENV and the other file commands, SSH_AUTH_SOCK and SSH_AGENT_PID, and names that look like credentials (case-insensitive): SECRET, PASSWORD, PASSWD, PASSPHRASE or CREDENTIAL anywhere; TOKEN(S) as a word or at the end (NPMTOKEN, not TOKENIZERS_PARALLELISM); KEY(S) at the end (API_KEY, APIKEY, not KEYBOARD_LAYOUT) and PRIVATE_KEY, API_KEY, ACCESS_KEY anywhere; PASS, CREDS, AUTHORIZATION as a word; PWD after a separator (MYSQL_PWD, not PWD or OLDPWD); AUTH, PAT(S), COOKIE(S), SESSION at the end. Hygiene, not a boundary or a sandbox: build in a job without credentials.',
  },
  {
    name: 'working-directory',
    default: '.',
    required: false,
    description: 'Where build-command runs; the base of a relative source-dir.',
  },
  {
    name: 'source-dir',
    default: '',
    required: false,
    description:
      'The built site to deploy (relative to working-directory). Must be inside the workspace, symlinks followed (see allow-source-outside-workspace). Required, except with rollback-to.',
  },
  {
    name: 'allow-source-outside-workspace',
    default: 'false',
    required: false,
    description:
      'Allow a source-dir outside the workspace (GITHUB_WORKSPACE). The runner temp folder (RUNNER_TEMP) and folders holding the runner files (GITHUB_ENV, GITHUB_OUTPUT, ...) are refused even then.',
  },
  {
    name: 'bucket',
    default: '',
    required: true,
    description: 'Target S3 bucket name (no s3:// and no path).',
  },
  {
    name: 'prefix',
    default: '',
    required: false,
    description:
      'Key prefix to deploy under, e.g. pr-42 (a trailing / is implied). Must not start with / or contain ..',
  },
  {
    name: 'region',
    default: '',
    required: false,
    description: "The bucket's region. Falls back to AWS_REGION, AWS_DEFAULT_REGION, then us-east-1.",
  },
  {
    name: 'endpoint-url',
    default: '',
    required: false,
    description: 'S3-compatible endpoint (MinIO, Cloudflare R2, a local server). Empty means AWS.',
  },
  {
    name: 'force-path-style',
    default: 'false',
    required: false,
    description: 'Use path-style addressing (needed by most S3-compatible endpoints).',
  },
  {
    name: 'distribution-id',
    default: '',
    required: false,
    description: 'CloudFront distribution to invalidate. Empty means no invalidation.',
  },
  {
    name: 'delete',
    default: 'true',
    required: false,
    description: 'Delete objects under the prefix that are no longer in source-dir.',
  },
  {
    name: 'max-deletes',
    default: '1000',
    required: false,
    description: 'A plan with more deletions than this fails before any write.',
  },
  {
    name: 'asset-grace-period',
    default: '7d',
    required: false,
    description:
      'How long a fingerprinted (or immutable) asset gone from the build is kept for pages still cached before a later deploy deletes it: 30s, 15m, 12h, 7d, or 0 to delete at once.',
  },
  {
    name: 'lock-timeout',
    default: '10m',
    required: false,
    description:
      'How long a deploy holds its claim on the prefix without refreshing it (a live deploy refreshes it); a claim left by a dead run is taken over after this: 30s to 24h, like 10m.',
  },
  {
    name: 'require-conditional-writes',
    default: 'false',
    required: false,
    description:
      'Refuse to deploy (before any write) when the store does not honour conditional writes (If-Match / If-None-Match), instead of warning and deploying unprotected against concurrent deploys.',
  },
  {
    name: 'exclude',
    default: '',
    required: false,
    description: 'Newline-separated globs (relative to source-dir): never uploaded, never deleted.',
  },
  {
    name: 'cache-control',
    default: '',
    required: false,
    description:
      'Newline-separated "GLOB: VALUE" Cache-Control rules, first match wins, checked before the built-in defaults.',
  },
  {
    name: 'content-type',
    default: '',
    required: false,
    description: 'Newline-separated "GLOB: TYPE" Content-Type overrides, first match wins.',
  },
  {
    name: 'concurrency',
    default: 'auto',
    required: false,
    description:
      "Parallel S3 requests: 'auto' (start at 32; writes grow towards 256 while throughput grows, and back off when the store throttles or latency rises), or a fixed 1-256 (writes still back off from it when throttled).",
  },
  {
    name: 'dry-run',
    default: 'false',
    required: false,
    description: 'Compute and print the plan with read-only calls; write nothing.',
  },
  {
    name: 'wait-for-invalidation',
    default: 'false',
    required: false,
    description: 'Poll until CloudFront reports the invalidation Completed.',
  },
  {
    name: 'preview',
    default: 'false',
    required: false,
    description:
      'On pull_request events, deploy under pr-<number>/ (nested under prefix when set: <prefix>pr-<number>/), keep one comment on the pull request with the preview link, and remove the preview when the pull request is closed.',
  },
  {
    name: 'site-url',
    default: '',
    required: false,
    description:
      'Public base URL of the site (e.g. https://d111111abcdef8.cloudfront.net), for preview links and the deployment URL.',
  },
  {
    name: 'github-token',
    default: '',
    required: false,
    description:
      'Token for GitHub deployments and the preview comment (needs deployments: write and pull-requests: write); empty skips them.',
  },
  {
    name: 'environment',
    default: '',
    required: false,
    description: 'GitHub environment the deployment is recorded in. Empty means production, or preview for previews.',
  },
  {
    name: 'link-check',
    default: 'warn',
    required: false,
    description:
      'Check every same-site link, script, stylesheet, image and anchor of the built pages (and CSS url()) before any write: error refuses the deploy when one is broken, warn (default) reports them in the log, the summary and as annotations, off skips the check.',
  },
  {
    name: 'redirects',
    default: '',
    required: false,
    description:
      'Redirect rules, one per line, in the format of a _redirects file (from to [status]; /old/* /new/:splat; 301 by default, 302, 307, 308), added to the _redirects file of the build when it has one. Served from the edge with redirect-store-arn, else as S3 website redirect objects. See docs/redirects.md.',
  },
  {
    name: 'redirect-store-arn',
    default: '',
    required: false,
    description:
      'ARN of the CloudFront KeyValueStore the viewer-request function reads redirects from (the Terraform output key_value_store_arn; preview_key_value_store_arn for previews). Each deploy makes the store hold exactly its redirects (_redirects and the redirects input), after the pages are uploaded and before stale objects are deleted.',
  },
  {
    name: 'rollback-to',
    default: '',
    required: false,
    description:
      'Restore the prefix to an earlier deploy instead of deploying a build: previous, a deploy id (the deploy-id output; the job summary lists the last five), or a commit SHA. Server-side copies of the recorded object versions; needs a versioned bucket. Leave source-dir empty.',
  },
];
