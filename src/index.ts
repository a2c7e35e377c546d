// The action's entry point (bundled by ncc into dist/index.js).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { run } from './main.js';

// Favour memory over speed in V8's heap sizing. A deploy allocates briskly (per file, per request) but keeps
// little (48 MB live at 50,000 files), and V8's default growth lets the heap swell to several times that:
// measured with `npm run bench`, this halves peak RSS at 50,000 files (409 → 231 MB on a first upload,
// 379 → 200 MB on a redeploy) for 5-12% more CPU time. The runner gives no other way to pass V8 options to
// a JavaScript action; if a Node version ignores the flag, the action runs as it would without it.
v8.setFlagsFromString('--optimize-for-size');

// action.yml — the one list of inputs and their defaults — sits one level above both src/ and dist/.
const here = path.dirname(fileURLToPath(import.meta.url));
await run(path.join(here, '..', 'action.yml'));
