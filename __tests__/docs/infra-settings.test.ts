// #12.3: the Terraform state key, the module's variables and the workflow inputs are one set of values across
// README.md (Infrastructure steps 3 and 4), infra/README.md, examples/workflows, .github/workflows/deploy-site.yml
// and the IAM policies that are scoped to the state object. A caller that read a different key would find no
// state and plan a second copy of the infrastructure.
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { read, snippets, type Doc } from './model.js';

interface Settings {
  source: string;
  stateKey?: string;
  siteName?: string;
  domainName?: string;
  hostedZone?: string;
  region?: string;
}

/** `terraform init -backend-config=… ; terraform apply -var …` blocks of a Markdown file. */
function shellSettings(file: string): Settings[] {
  const found: Settings[] = [];
  for (const match of read(file).matchAll(/```sh\n([\s\S]*?)```/g)) {
    const text = match[1]!.replace(/\\\n\s*/g, ' ');
    if (!/terraform init/.test(text) || !/-backend-config=key=/.test(text)) continue;
    const get = (pattern: RegExp) => pattern.exec(text)?.[1];
    found.push({
      source: `${file} (terraform init/apply)`,
      stateKey: get(/-backend-config=key=(\S+)/),
      siteName: get(/-var site_name=(\S+)/),
      domainName: get(/-var domain_name=(\S+)/),
      hostedZone: get(/-var hosted_zone_id=(\S+)/) ? 'set' : undefined,
      region: get(/-backend-config=region=(\S+)/),
    });
  }
  return found;
}

/** Callers of deploy-site.yml and users of the infra action that deploy the ParlAI site. */
function workflowSettings(): Settings[] {
  const found: Settings[] = [];
  for (const snippet of snippets()) {
    const entries: Doc[] = [];
    const collect = (jobs: Record<string, Doc>) => {
      for (const job of Object.values(jobs)) {
        if (typeof job.uses === 'string' && job.uses.includes('deploy-site.yml')) entries.push(job.with ?? {});
        for (const step of (job.steps ?? []) as Doc[])
          if (typeof step.uses === 'string' && /parlai-site-deploy\/infra@/.test(step.uses))
            entries.push(step.with ?? {});
      }
    };
    if (snippet.kind === 'steps') collect({ job: { steps: snippet.doc } });
    else collect((snippet.doc.jobs ?? {}) as Record<string, Doc>);
    for (const given of entries)
      found.push({
        source: snippet.source,
        stateKey: given['state-key'],
        siteName: given['site-name'],
        domainName: given['domain-name'],
        hostedZone: given['hosted-zone-id'] ? 'set' : undefined,
        region: given['state-region'] ?? 'us-east-1',
      });
  }
  return found;
}

const SHELL = [...shellSettings('README.md'), ...shellSettings('infra/README.md')];
const WORKFLOWS = workflowSettings();

describe('one state key, one set of variables', () => {
  it('finds the places that state them', () => {
    expect(SHELL.map((s) => s.source)).toEqual([
      'README.md (terraform init/apply)',
      'infra/README.md (terraform init/apply)',
    ]);
    expect(WORKFLOWS.map((s) => s.source)).toEqual(
      expect.arrayContaining([
        'examples/workflows/parlai-website.yml',
        expect.stringMatching(/^README\.md:\d+$/),
        expect.stringMatching(/^infra\/README\.md:\d+$/),
      ]),
    );
    expect(WORKFLOWS.filter((s) => s.source.startsWith('infra/README.md')).length).toBe(2);
  });

  it('every place uses the same state key, site, domain, zone and state region for ParlAI', () => {
    const parlai = [...SHELL, ...WORKFLOWS].filter((s) => s.siteName === 'parlai');
    expect(parlai.length).toBe(SHELL.length + WORKFLOWS.length);
    for (const settings of parlai)
      expect(settings).toEqual({
        source: settings.source,
        stateKey: 'parlai-site-deploy/parlai.tfstate',
        siteName: 'parlai',
        domainName: 'parl.ai',
        hostedZone: 'set',
        region: 'us-east-1',
      });
  });

  it('the key follows the convention parlai-site-deploy/<site-name>.tfstate that the IAM roles are scoped to', () => {
    const stateResources = ['terraform-policy.json', 'plan-policy.json'].flatMap((file) =>
      (
        JSON.parse(read(`examples/iam/${file}`)) as { Statement: Array<{ Resource: string | string[] }> }
      ).Statement.flatMap((s) => [s.Resource].flat()).filter((r) => r.startsWith('arn:aws:s3:::STATE_BUCKET/')),
    );
    expect(stateResources.length).toBeGreaterThan(0);
    for (const resource of stateResources)
      expect(resource.replace('SITE_NAME', 'parlai')).toMatch(
        /^arn:aws:s3:::STATE_BUCKET\/parlai-site-deploy\/parlai\.tfstate(\.tflock)?$/,
      );
  });

  it('the reusable workflow hands its state and site inputs to the infra action unchanged', () => {
    const workflow = parseYaml(read('.github/workflows/deploy-site.yml')) as Doc;
    const step = (workflow.jobs.infra.steps as Doc[]).find((s) => String(s.uses).endsWith('/infra'))!;
    for (const name of [
      'state-bucket',
      'state-key',
      'state-region',
      'site-name',
      'domain-name',
      'hosted-zone-id',
      'aws-region',
    ])
      expect({ name, value: step.with[name] }).toEqual({ name, value: `\${{ inputs.${name} }}` });
  });

  it('the infra action hands them to the script that runs terraform', () => {
    const action = parseYaml(read('infra/action.yml')) as Doc;
    const env = (action.runs.steps as Doc[]).find((s) => s.id === 'terraform')!.env as Record<string, string>;
    for (const name of Object.keys(action.inputs as Doc).filter((n) => n !== 'terraform-version'))
      expect({ name, value: env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] }).toEqual({
        name,
        value: `\${{ inputs.${name} }}`,
      });
  });
});
