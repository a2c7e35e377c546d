#!/usr/bin/env node
// action.yml's inputs as a TypeScript module (src/context/action-inputs.ts), so the bundle carries its one list
// of inputs and defaults without parsing YAML at start-up (the yaml library's load and the parse cost a
// no-change deploy of a small site about 30 ms). `npm run bundle` runs this first; the dist check then fails
// on an action.yml edited without a bundle, and __tests__/context/inputs.test.ts on a stale module.
//
//   node tools/action-inputs.mjs            writes src/context/action-inputs.ts
//   node tools/action-inputs.mjs --check    exits 1, saying so, when it is not what action.yml gives
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { parse } from 'yaml';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ACTION_INPUTS_MODULE = path.join(repo, 'src/context/action-inputs.ts');

/** The inputs as action.yml declares them (an expression default, `${{ github.token }}`, is the runner's: ''). */
export function inputSpecs(actionYaml) {
  const document = parse(actionYaml);
  return Object.entries(document?.inputs ?? {}).map(([name, spec]) => {
    const value = spec?.default === undefined ? '' : String(spec.default);
    return {
      name,
      default: value.includes('${{') ? '' : value,
      required: spec?.required === true,
      description: String(spec?.description ?? ''),
    };
  });
}

/** The module's text for these specs, formatted as the project formats TypeScript. */
export async function actionInputsModule(specs) {
  const text = `// GENERATED from action.yml by tools/action-inputs.mjs (npm run bundle runs it): do not edit.
import type { InputSpec } from './inputs.js';

export const ACTION_INPUTS: readonly InputSpec[] = ${JSON.stringify(specs, null, 2)};
`;
  const options = JSON.parse(readFileSync(path.join(repo, '.prettierrc.json'), 'utf8'));
  return format(text, { ...options, filepath: ACTION_INPUTS_MODULE });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = await actionInputsModule(inputSpecs(readFileSync(path.join(repo, 'action.yml'), 'utf8')));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(ACTION_INPUTS_MODULE, 'utf8');
    } catch {
      current = '';
    }
    if (current !== wanted) {
      console.error(`${path.relative(repo, ACTION_INPUTS_MODULE)} is not what action.yml gives: run npm run bundle.`);
      process.exit(1);
    }
  } else {
    writeFileSync(ACTION_INPUTS_MODULE, wanted);
  }
}
