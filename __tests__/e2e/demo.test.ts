// `npm run demo` (examples/demo.mjs), run as CI runs it (no terminal) and as a user who keeps it serving:
// three deploys with one upload and one invalidation on the last, a local CDN that serves the bucket as
// CloudFront would, Ctrl-C, and nothing left in the temp folder either way.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, RUNNER_NODE } from '../support/action-runner.js';
import { tempDir, track } from '../support/cleanup.js';
import { writeSite } from '../support/sites.js';

const DEMO_TIMEOUT_MS = 45_000;

interface Demo {
  /** Resolves when the output matches, with the match; rejects if the demo ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves when the demo has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  interrupt(): void;
}

/** Starts the demo with its own empty TMPDIR, so what it leaves behind can be seen. */
function startDemo(args: string[], tmp: string): Demo {
  const env: Record<string, string | undefined> = { ...process.env, TMPDIR: tmp };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules
  const child = track(
    spawn(RUNNER_NODE, [path.join(REPO, 'examples/demo.mjs'), ...args], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: string) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  const timer = setTimeout(() => {
    output += `\n[test] killed after ${DEMO_TIMEOUT_MS / 1000} s\n`;
    child.kill('SIGKILL');
  }, DEMO_TIMEOUT_MS);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        for (const listener of listeners) listener();
        resolve({ code, signal, output });
      });
    },
  );
  return {
    exited,
    interrupt: () => child.kill('SIGINT'),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            reject(new Error(`the demo ended before printing ${pattern}:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      }),
  };
}

/** The output of deploy `n` (1-based): from its title to the next one. */
function section(output: string, n: number): string {
  return output.split(/━━━ Deploy \d\/3/)[n] ?? '';
}

describe('npm run demo', () => {
  it('without a terminal: three deploys, one upload and one invalidation on the last, then it ends by itself', async () => {
    const tmp = tempDir('demo-tmp');
    const { code, output } = await startDemo([], tmp).exited;
    if (code !== 0) throw new Error(`the demo failed (${code}):\n${output}`);

    expect(section(output, 1)).toMatch(/Deployed to s3:\/\/demo-site\/: 13 new, 0 changed, .* 0 unchanged/);
    expect(section(output, 2)).toMatch(
      /Up to date, nothing to write: s3:\/\/demo-site\/: 0 new, 0 changed, .* 0 deleted, 13 unchanged/,
    );
    const third = section(output, 3);
    expect(third).toMatch(
      /Deployed to s3:\/\/demo-site\/: 0 new, 1 changed, 0 headers updated, 0 deleted, 12 unchanged/,
    );
    expect(third.match(/^ {2}changed +(.+)$/gm)).toEqual(['  changed  about/index.html']);
    // The site check: the sample site links nothing missing; the edit links a page that is not there.
    expect(section(output, 1)).toMatch(/Site check: 6 page\(s\), \d+ reference\(s\) to the site: 0 broken target\(s\)/);
    expect(section(output, 3)).toMatch(/missing +coming-soon\.html ← about\/index\.html:\d+/);
    expect(section(output, 3)).toContain('The site check found 1 broken target(s) in the build');
    // link-check: warn deploys: its annotations are warnings, not errors.
    expect(section(output, 3)).toMatch(/\[warning\] Link to '\/coming-soon\.html'/);

    // The headers each rule gives: in the plan of the first deploy (one line per rule, not per file), and in
    // the job summary of the third, with a link to the edited page.
    expect(section(output, 1)).toContain(
      '  rule     default: HTML page — 6 file(s) get Content-Type: text/html; charset=utf-8 · Cache-Control: public, max-age=0, must-revalidate (',
    );
    expect(section(output, 1)).toContain(
      '  rule     default: fingerprinted asset — 1 file(s) get Content-Type: text/css; charset=utf-8 · Cache-Control: public, max-age=31536000, immutable (assets/app.3f2a9c1b7d.css)',
    );
    expect(section(output, 1).match(/^ {2}rule {5}/gm)!.length).toBeLessThan(13);
    expect(third).toContain('| rule | count | Content-Type | Cache-Control |');
    expect(third).toContain(
      '| default: HTML page | 1 | `text/html; charset=utf-8` | `public, max-age=0, must-revalidate` |',
    );
    expect(third).toMatch(/^- \[about\/index\.html\]\(http:\/\/127\.0\.0\.1:\d+\/about\/\)$/m);

    // The CloudFront stand-in printed exactly one invalidation, during deploy 3, for the edited page only.
    const received = [...output.matchAll(/CloudFront stand-in received CreateInvalidation (\S+) for (\S+): (.+)/g)];
    expect(received).toHaveLength(1);
    expect(section(output, 3)).toContain(received[0]![0]);
    const paths = received[0]![3]!.split(', ');
    expect(paths.length).toBeGreaterThan(0);
    for (const invalidated of paths) expect(invalidated).toMatch(/^\/about\//);
    expect(output).toContain(
      `deploy 3: 1 uploaded (about/index.html), invalidated ${received[0]![3]} (${received[0]![1]})`,
    );
    expect(output).toContain('deploy 2: 0 uploaded, 13 unchanged: nothing changed');

    expect(output).toMatch(
      /Checked http:\/\/127\.0\.0\.1:\d+\/about\/ through the local CDN: 200 text\/html.*the edited version/,
    );
    // The sample's _redirects (written into the demo's copy, not uploaded): synced into the KeyValueStore
    // stand-in on deploy 1 only, and answered by the CDN's function from it.
    expect(section(output, 1)).toMatch(/Redirects: 2 rules from _redirects .*: 3 entries, .*; 3 written, 0 removed\./);
    expect(section(output, 2)).toMatch(/Redirects: .*; 0 written, 0 removed\./);
    expect(output).toMatch(
      /Checked http:\/\/127\.0\.0\.1:\d+\/about-us through the local CDN: 301 → \/about\/ \(_redirects, answered by the function from the store: 3 entries\)/,
    );
    expect(output).toContain('No terminal (CI?): the demo ends here');
    expect(output).toContain('Every run starts from an empty bucket');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--site with --serve: serves the build as the CDN would until Ctrl-C, then stops and leaves nothing', async () => {
    const tmp = tempDir('demo-tmp');
    const site = writeSite({
      'index.html': '<html><body><a href="/about/">About</a> <a href="/docs/">Docs</a></body></html>',
      'about/index.html': '<html><body><h1>About us</h1></body></html>',
      'docs/index.html': '<html><body><h1>Docs</h1></body></html>',
      'assets/site.css': 'body { margin: 0 }',
      '404.html': '<html><body>Custom not found page</body></html>',
      _redirects: '/team /about/ 302\n/manual/* /docs/:splat\n',
    });
    const aboutBefore = readFileSync(path.join(site, 'about/index.html'), 'utf8');
    const demo = startDemo(['--site', site, '--serve'], tmp);
    const [, url] = await demo.waitFor(/^Serving: (http:\/\/127\.0\.0\.1:\d+)\/ /m);
    const get = (urlPath: string) =>
      fetch(`${url}${urlPath}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });

    const about = await get('/about/');
    expect(about.status).toBe(200);
    expect(about.headers.get('content-type')).toMatch(/^text\/html/);
    const aboutPage = await about.text();
    expect(aboutPage).toContain('About us');
    expect(aboutPage).toContain('Edited by npm run demo'); // the third deploy's version
    expect(await (await get('/')).text()).toContain('href="/about/"');
    expect((await get('/assets/site.css')).headers.get('content-type')).toMatch(/^text\/css/);
    const redirect = await get('/docs');
    expect({ status: redirect.status, location: redirect.headers.get('location') }).toEqual({
      status: 301,
      location: '/docs/',
    });
    // The build's own _redirects, answered at the edge (exact, then splat with the query string kept).
    const moved = await get('/team');
    expect({ status: moved.status, location: moved.headers.get('location') }).toEqual({
      status: 302,
      location: '/about/',
    });
    const splat = await get('/manual/intro.html?x=1');
    expect({ status: splat.status, location: splat.headers.get('location') }).toEqual({
      status: 301,
      location: '/docs/intro.html?x=1',
    });
    const missing = await get('/no/such/page/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Custom not found page');
    expect((await get('/.parlai-site-deploy.json.gz')).status).toBe(404);

    const running = await demo.waitFor(/GET \/about\/ → about\/index\.html 200/);
    expect(running).toBeTruthy(); // requests are logged while serving

    demo.interrupt();
    const { code, output } = await demo.exited;
    expect(code).toBe(0);
    expect(output).toMatch(/Ctrl-C: stopping the servers…\nStopped\. The temp folder .* is removed\./);
    expect(output).toContain('your files are not touched');
    expect(readFileSync(path.join(site, 'about/index.html'), 'utf8')).toBe(aboutBefore);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
