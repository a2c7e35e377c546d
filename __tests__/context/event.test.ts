import { describe, expect, it } from '@jest/globals';
import { pullRequestOf, pullRequestWithoutSecrets, readEventContext, runUrl } from '../../src/context/event.js';
import { tempDir } from '../support/cleanup.js';

type Payload = Parameters<typeof pullRequestWithoutSecrets>[1];

const REPO = 'facebookresearch/ParlAI';

/** A pull_request payload; `repository: null` leaves the repository out. */
function pr(
  head: { fork?: boolean; full_name?: string } | null | undefined,
  repository: string | null = REPO,
): Payload {
  return {
    pull_request: { number: 42, head: { repo: head } },
    ...(repository === null ? {} : { repository: { full_name: repository } }),
  };
}

const FORK = /fork/;
const DEPENDABOT = /Dependabot/;

describe('pullRequestWithoutSecrets', () => {
  it.each<[string, string, Payload, string, RegExp | undefined]>([
    // Forks.
    ['fork flag set', 'pull_request', pr({ fork: true, full_name: 'someone/ParlAI' }), 'someone', FORK],
    ['fork flag set, same full_name', 'pull_request', pr({ fork: true, full_name: REPO }), 'someone', FORK],
    ['fork flag set, no full_name', 'pull_request', pr({ fork: true }), 'someone', FORK],
    [
      'head repo differs, fork flag false',
      'pull_request',
      pr({ fork: false, full_name: 'someone/ParlAI' }),
      'someone',
      FORK,
    ],
    ['head repo differs, no fork flag', 'pull_request', pr({ full_name: 'someone/ParlAI' }), 'someone', FORK],
    [
      'fork on pull_request_review',
      'pull_request_review',
      pr({ fork: true, full_name: 'someone/ParlAI' }),
      'maintainer',
      FORK,
    ],
    [
      'fork opened by Dependabot: the fork reason comes first',
      'pull_request',
      pr({ fork: true, full_name: 'someone/ParlAI' }),
      'dependabot[bot]',
      FORK,
    ],
    // Same repository.
    ['same-repo pull request', 'pull_request', pr({ fork: false, full_name: REPO }), 'maintainer', undefined],
    ['same-repo, no fork flag', 'pull_request', pr({ full_name: REPO }), 'maintainer', undefined],
    [
      'same-repo on pull_request_review',
      'pull_request_review',
      pr({ fork: false, full_name: REPO }),
      'maintainer',
      undefined,
    ],
    [
      'head full_name present, repository missing',
      'pull_request',
      pr({ fork: false, full_name: 'someone/ParlAI' }, null),
      'maintainer',
      undefined,
    ],
    // Dependabot.
    ['Dependabot on pull_request', 'pull_request', pr({ fork: false, full_name: REPO }), 'dependabot[bot]', DEPENDABOT],
    [
      'Dependabot on pull_request_review',
      'pull_request_review',
      pr({ fork: false, full_name: REPO }),
      'dependabot[bot]',
      DEPENDABOT,
    ],
    [
      'a look-alike actor is not Dependabot',
      'pull_request',
      pr({ fork: false, full_name: REPO }),
      'dependabot',
      undefined,
    ],
    // Events that are not pull requests: always undefined, whatever the payload.
    ['push', 'push', {}, 'maintainer', undefined],
    ['push from Dependabot', 'push', {}, 'dependabot[bot]', undefined],
    ['push with a fork-looking payload', 'push', pr({ fork: true, full_name: 'someone/ParlAI' }), 'someone', undefined],
    [
      'pull_request_target from a fork (runs with secrets)',
      'pull_request_target',
      pr({ fork: true, full_name: 'someone/ParlAI' }),
      'someone',
      undefined,
    ],
    ['workflow_dispatch', 'workflow_dispatch', {}, 'dependabot[bot]', undefined],
    // Missing data: no fork evidence.
    ['no pull_request in the payload', 'pull_request', {}, 'maintainer', undefined],
    [
      'no head',
      'pull_request',
      { pull_request: { number: 1 }, repository: { full_name: REPO } },
      'maintainer',
      undefined,
    ],
    // head.repo is null when the fork was deleted: still a fork, still no secrets.
    ['head.repo null (deleted fork)', 'pull_request', pr(null), 'someone', /fork/],
    ['head.repo null, Dependabot', 'pull_request', pr(null), 'dependabot[bot]', /fork/],
  ])('%s', (_title, eventName, payload, actor, expected) => {
    const reason = pullRequestWithoutSecrets(eventName, payload, actor);
    if (expected === undefined) {
      expect(reason).toBeUndefined();
    } else {
      expect(reason).toMatch(expected);
      expect(reason).toMatch(/secrets/);
    }
  });

  it('gives the two documented reasons', () => {
    expect(pullRequestWithoutSecrets('pull_request', pr({ fork: true }), 'x')).toBe(
      'this pull request comes from a fork, and GitHub gives fork pull requests no secrets',
    );
    expect(pullRequestWithoutSecrets('pull_request', pr({ fork: false, full_name: REPO }), 'dependabot[bot]')).toBe(
      'this pull request is from Dependabot, which gets no Actions secrets',
    );
  });
});

describe('pullRequestOf', () => {
  const payload = { action: 'synchronize', pull_request: { number: 42, head: { sha: 'abc123' } } };
  it.each<[string, string | undefined, object, unknown]>([
    ['a pull_request event', 'pull_request', payload, { number: 42, headSha: 'abc123', action: 'synchronize' }],
    [
      'a pull_request_target event',
      'pull_request_target',
      { ...payload, action: 'closed' },
      { number: 42, headSha: 'abc123', action: 'closed' },
    ],
    ['a push', 'push', payload, undefined],
    ['a local run (no event at all)', undefined, {}, undefined],
    ['a pull_request event without a number', 'pull_request', { pull_request: {} }, undefined],
  ])('%s', (_title, eventName, body, expected) => {
    expect(pullRequestOf(eventName, body)).toEqual(expected);
  });
});

describe('runUrl', () => {
  it('links the workflow run when the runner says where it is', () => {
    expect(
      runUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'org/site', GITHUB_RUN_ID: '99' }),
    ).toBe('https://github.com/org/site/actions/runs/99');
    expect(runUrl({})).toBeUndefined();
  });
});

describe('readEventContext', () => {
  it('reads what the runner provides', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(tempDir('event'), 'event.json');
    writeFileSync(file, JSON.stringify({ action: 'opened', pull_request: { number: 3 } }));
    expect(
      readEventContext({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: file,
        GITHUB_ACTOR: 'me',
        GITHUB_SHA: 'abc',
        GITHUB_REPOSITORY: 'o/r',
      }),
    ).toEqual({
      eventName: 'pull_request',
      payload: { action: 'opened', pull_request: { number: 3 } },
      actor: 'me',
      sha: 'abc',
      repository: 'o/r',
    });
  });
  it.each([
    ['no event at all (a local run)', {}],
    ['an event file that does not exist', { GITHUB_EVENT_PATH: '/nonexistent/event.json' }],
  ])('reads %s as an empty payload', (_title, env) => {
    expect(readEventContext(env).payload).toEqual({});
  });
});
