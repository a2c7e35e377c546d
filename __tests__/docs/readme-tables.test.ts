// The README's Inputs and Outputs tables are documentation of action.yml: same names, same defaults, same
// order. action.yml is the source; this test fails when the README drifts from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const action = parse(readFileSync(new URL('action.yml', root), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
};

/** The rows of the first Markdown table after `## heading`, as arrays of cells. */
function tableAfter(heading: string, text = readme): string[][] {
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const lines = text.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** `` `name` `` → name. */
const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');

describe('README tables match action.yml', () => {
  const declaredInputs = Object.entries(action.inputs).map(([name, spec]) => [
    name,
    spec.required ? 'required' : `\`${spec.default === '' ? "''" : spec.default}\``,
  ]);
  const documentedInputs = (text: string) =>
    tableAfter('Inputs', text).map(([name = '', value = '']) => [unquote(name), value]);

  it('Inputs: every input, in action.yml order, with its default (or "required")', () => {
    expect(documentedInputs(readme)).toEqual(declaredInputs);
  });

  it('Outputs: every output, in action.yml order', () => {
    const documented = tableAfter('Outputs').map(([name = '']) => unquote(name));
    expect(documented).toEqual(Object.keys(action.outputs));
  });

  it('catches a changed default and a missing row', () => {
    const changedDefault = readme.replace('| `concurrency` | `auto` |', '| `concurrency` | `16` |');
    const missingRow = readme.replace(/^\| `dry-run` \|.*\n/m, '');
    expect(documentedInputs(changedDefault)).not.toEqual(declaredInputs);
    expect(documentedInputs(missingRow)).not.toEqual(declaredInputs);
  });
});
