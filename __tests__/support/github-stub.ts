// A loopback stand-in for the parts of the GitHub REST API the action uses (deployments, their statuses,
// issue comments). The action reaches it through GITHUB_API_URL. It keeps state like GitHub does, records
// every request, and can refuse routes with 403 as a token without the permission gets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubDeployment {
  id: number;
  ref: string;
  environment: string;
  payload: unknown;
  transient_environment?: boolean;
  production_environment?: boolean;
  required_contexts?: string[];
  statuses: Array<{ state: string; environment_url?: string; log_url?: string; auto_inactive?: boolean }>;
}

export interface StubComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string };
}

export interface GitHubStub {
  url: string;
  deployments: StubDeployment[];
  comments: StubComment[];
  requests: Array<{ method: string; path: string; authorization?: string }>;
  /** Routes answered with 403, matched against `METHOD /path` (e.g. /^POST .*\/deployments$/). */
  forbid: RegExp[];
  /**
   * Who the token is: a personal access token's user (`GET /user` answers with it, and comments are
   * theirs), or undefined for the workflow's GITHUB_TOKEN (`GET /user` is refused with 403, as GitHub does
   * for an installation token, and comments are by `github-actions[bot]`).
   */
  viewer?: string;
  /** The app an installation token (viewer undefined) belongs to, as GraphQL's `viewer` names it. */
  app: string;
  close(): Promise<void>;
}

export async function startGitHubStub(): Promise<GitHubStub> {
  let nextId = 1000;
  const stub: GitHubStub = {
    url: '',
    deployments: [],
    comments: [],
    requests: [],
    forbid: [],
    app: 'github-actions',
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const route = `${req.method} ${url.pathname}`;
      stub.requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization });
      const body =
        chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (stub.forbid.some((pattern) => pattern.test(route))) {
        reply(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
        });
        return;
      }
      let match: RegExpExecArray | null;
      if ((match = /^POST \/repos\/[^/]+\/[^/]+\/deployments$/.exec(route))) {
        const deployment: StubDeployment = {
          id: nextId++,
          ref: body.ref as string,
          environment: body.environment as string,
          payload: body.payload,
          transient_environment: body.transient_environment as boolean,
          production_environment: body.production_environment as boolean,
          required_contexts: body.required_contexts as string[],
          statuses: [],
        };
        stub.deployments.push(deployment);
        reply(201, {
          id: deployment.id,
          ref: deployment.ref,
          environment: deployment.environment,
          payload: deployment.payload,
        });
      } else if ((match = /^POST \/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(route))) {
        const deployment = stub.deployments.find((d) => d.id === Number(match![1]));
        if (!deployment) return reply(404, { message: 'Not Found' });
        deployment.statuses.push(body as StubDeployment['statuses'][number]);
        reply(201, { id: nextId++, state: body.state });
      } else if ((match = /^GET \/repos\/[^/]+\/[^/]+\/deployments$/.exec(route))) {
        const environment = url.searchParams.get('environment');
        reply(
          200,
          stub.deployments
            .filter((d) => !environment || d.environment === environment)
            .map(({ statuses: _statuses, ...d }) => d),
        );
      } else if (route === 'POST /graphql' && String(body.query).includes('viewer')) {
        // An installation token's viewer is its app (GitHub answers `github-actions` for the GITHUB_TOKEN).
        reply(200, { data: { viewer: { login: stub.viewer ?? stub.app } } });
      } else if (route === 'GET /user') {
        if (stub.viewer === undefined) {
          reply(403, {
            message: 'Resource not accessible by integration',
            documentation_url: 'https://docs.github.com/rest',
          });
        } else {
          reply(200, { login: stub.viewer, type: 'User' });
        }
      } else if ((match = /^GET \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(route))) {
        reply(
          200,
          stub.comments.filter((c) => c.issue === Number(match![1])),
        );
      } else if ((match = /^POST \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(route))) {
        const comment = {
          id: nextId++,
          issue: Number(match[1]),
          body: body.body as string,
          user: { login: stub.viewer ?? `${stub.app}[bot]` },
        };
        stub.comments.push(comment);
        reply(201, comment);
      } else if ((match = /^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(route))) {
        const comment = stub.comments.find((c) => c.id === Number(match![1]));
        if (!comment) return reply(404, { message: 'Not Found' });
        comment.body = body.body as string;
        reply(200, comment);
      } else {
        reply(404, { message: `stub: no route for ${route}` });
      }
    });
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
