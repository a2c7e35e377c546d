// The action's entry point (bundled by ncc into dist/index.js).
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { run } from './main.js';
import type { LocalFiles } from './report/channel.js';

// Favour memory over speed in V8's heap sizing. A deploy allocates briskly (per file, per request) but keeps
// little (48 MB live at 50,000 files), and V8's default growth lets the heap swell to several times that:
// measured with `npm run bench`, this halves peak RSS at 50,000 files (409 → 231 MB on a first upload,
// 379 → 200 MB on a redeploy) for 5-12% more CPU time. The runner gives no other way to pass V8 options to
// a JavaScript action; if a Node version ignores the flag, the action runs as it would without it.
v8.setFlagsFromString('--optimize-for-size');

await run(process.env, localFiles(process.argv.slice(2)));

/**
 * Command-line flags, for local runs (the runner passes none): where to write the job summary and the
 * outputs instead of printing them on the terminal.
 */
function localFiles(args: string[]): LocalFiles {
  const usage = `Usage: node dist/index.js [--summary-file FILE] [--outputs-file FILE]
  Inputs come from INPUT_<NAME> variables (e.g. env INPUT_SOURCE-DIR=build INPUT_BUCKET=my-bucket node dist/index.js).
  Without a runner (no GITHUB_OUTPUT), the outputs and the job summary are printed, or written to:
  --summary-file FILE   the job summary (Markdown)
  --outputs-file FILE   the outputs, one name=value a line`;
  try {
    const { values } = parseArgs({
      args,
      options: {
        'summary-file': { type: 'string' },
        'outputs-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return { summary: values['summary-file'], outputs: values['outputs-file'] };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}
