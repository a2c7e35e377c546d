// The action's entry point (bundled by ncc into dist/index.js).
import { parseArgs } from 'node:util';
import { compactHeap } from './heap.js';
import { run } from './main.js';
import type { LocalFiles } from './report/channel.js';

compactHeap();

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
