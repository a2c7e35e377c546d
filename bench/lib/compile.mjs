import path from 'node:path';

/** tsc's arguments to compile one module of src/ (and what it imports) to plain ESM in `outDir`, for the bench. */
export function tscArguments(repo, outDir, entry) {
  return [
    '--outDir',
    outDir,
    '--noEmit',
    'false',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--target',
    'ES2023',
    '--lib',
    'ES2023',
    '--types',
    'node',
    '--esModuleInterop',
    '--skipLibCheck',
    '--rootDir',
    path.join(repo, 'src'),
    path.join(repo, entry),
  ];
}
