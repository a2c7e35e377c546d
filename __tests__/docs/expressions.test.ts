// The expression evaluator the workflow tests rely on, against GitHub's documented semantics.
import { describe, expect, it } from '@jest/globals';
import { condition, contextPaths, evaluate, interpolate, parse, type Scope } from './expressions.js';

const scope: Scope = {
  contexts: {
    github: {
      event_name: 'pull_request',
      ref: 'refs/pull/7/merge',
      repository: 'OWNER/REPO',
      event: { action: 'closed', pull_request: { number: 7, head: { repo: { full_name: 'OWNER/REPO' } } } },
    },
    needs: { build: { result: 'skipped', outputs: { production: 'false' } } },
    inputs: { 'plan-role-arn': '', 'aws-role-arn': 'arn:a' },
  },
};
const value = (text: string, s: Scope = scope) => evaluate(parse(text), s);

describe('expressions', () => {
  it('compares strings case-insensitively and mixed types as numbers', () => {
    expect(value("github.event_name == 'PULL_REQUEST'")).toBe(true);
    expect(value("'1' == 1")).toBe(true);
    expect(value("needs.build.outputs.production == 'true'")).toBe(false);
    expect(value('null == 0')).toBe(false);
    expect(value("github.missing == ''")).toBe(false);
    expect(value('github.missing == null')).toBe(true);
  });

  it('returns operands from && and || (the ternary idiom)', () => {
    expect(value("needs.build.outputs.production == 'true' && inputs.aws-role-arn || 'plan'")).toBe('plan');
    expect(value("github.event_name == 'pull_request' && inputs.aws-role-arn || 'plan'")).toBe('arn:a');
    expect(value("inputs.plan-role-arn || 'fallback'")).toBe('fallback');
    expect(value('!inputs.plan-role-arn')).toBe(true);
  });

  it('binds ! tighter than comparison, comparison tighter than && and ||', () => {
    expect(value("!github.missing && github.event.action == 'closed' || false")).toBe(true);
    expect(value("(github.event.action == 'opened' || github.event.action == 'closed') && 1 < 2")).toBe(true);
  });

  it('reads properties by dot and index, with hyphens in names', () => {
    expect(value("github['event'].pull_request['head'].repo.full_name == github.repository")).toBe(true);
    expect(contextPaths(parse("needs.build.outputs.production == 'true' && inputs.plan-role-arn != ''"))).toEqual([
      'needs.build.outputs.production',
      'inputs.plan-role-arn',
    ]);
  });

  it('knows format, contains, startsWith, and status functions', () => {
    expect(value("format('refs/heads/{0}', 'main')")).toBe('refs/heads/main');
    expect(value("contains(github.ref, 'PULL')")).toBe(true);
    expect(value("startsWith(github.ref, 'refs/pull/')")).toBe(true);
    expect(
      condition("needs.build.result == 'skipped'", {
        ...scope,
        status: { success: false, failure: false, cancelled: false },
      }),
    ).toBe(false);
    expect(
      condition("always() && needs.build.result == 'skipped'", {
        ...scope,
        status: { success: false, failure: false, cancelled: false },
      }),
    ).toBe(true);
    expect(condition('${{ true }}', scope)).toBe(true);
  });

  it('interpolates: a lone expression keeps its type, text around it makes a string', () => {
    expect(interpolate("${{ github.event_name == 'pull_request' }}", scope)).toBe(true);
    expect(interpolate('pr-${{ github.event.pull_request.number }}/', scope)).toBe('pr-7/');
  });

  it('refuses what it does not model', () => {
    expect(() => parse('fromJSON(x)')).toThrow(/unknown function/);
    expect(() => parse("a == 'b")).toThrow(/unterminated/);
    expect(() => parse('a ==')).toThrow();
    expect(() => parse('github.*.x')).toThrow();
    expect(() => value('unknown.x')).toThrow(/unknown context/);
  });
});
