// A small evaluator for the GitHub Actions expression language, enough for the documented workflows:
// literals, context property access (a.b, a['b'], a.*-free), ! == != < <= > >= && || and parentheses, and the
// functions always() success() failure() cancelled() format() contains() startsWith() endsWith() toJSON().
// Semantics follow GitHub's: && and || return an operand, == compares strings case-insensitively and other
// mixed types as numbers, and falsy values are false, 0, -0, '', null and NaN.
//
// Anything outside this subset is a parse error, so a documented workflow that needs more fails its test
// instead of being evaluated wrongly.

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ','];

export class ExpressionError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new ExpressionError(`unterminated string in: ${text}`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'str', value });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/.exec(text.slice(i))!;
      tokens.push({ kind: 'num', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'ident', value: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (!op) throw new ExpressionError(`unexpected '${c}' in: ${text}`);
      tokens.push({ kind: 'op', value: op });
      i += op.length;
    }
  }
  return tokens;
}

export type Node =
  | { type: 'literal'; value: Value }
  | { type: 'context'; name: string }
  | { type: 'member'; object: Node; property: Node }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node };

const PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4 };

export const FUNCTIONS = [
  'always',
  'success',
  'failure',
  'cancelled',
  'format',
  'contains',
  'startsWith',
  'endsWith',
  'toJSON',
  'join',
] as const;

export function parse(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (value: string) => peek()?.kind === 'op' && peek()!.value === value;
  const expectOp = (value: string) => {
    if (!isOp(value)) throw new ExpressionError(`expected '${value}' in: ${text}`);
    pos += 1;
  };

  function primary(): Node {
    const token = tokens[pos];
    if (!token) throw new ExpressionError(`unexpected end of: ${text}`);
    pos += 1;
    if (token.kind === 'num' || token.kind === 'str') return { type: 'literal', value: token.value };
    if (token.kind === 'op' && token.value === '(') {
      const inner = binary(0);
      expectOp(')');
      return inner;
    }
    if (token.kind === 'op' && token.value === '!') return { type: 'not', operand: postfix(primary()) };
    if (token.kind === 'ident') {
      if (token.value === 'true' || token.value === 'false') return { type: 'literal', value: token.value === 'true' };
      if (token.value === 'null') return { type: 'literal', value: null };
      if (isOp('(')) {
        if (!(FUNCTIONS as readonly string[]).includes(token.value))
          throw new ExpressionError(`unknown function ${token.value}() in: ${text}`);
        pos += 1;
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(binary(0));
          while (isOp(',')) {
            pos += 1;
            args.push(binary(0));
          }
        }
        expectOp(')');
        return { type: 'call', name: token.value, args };
      }
      return { type: 'context', name: token.value };
    }
    throw new ExpressionError(`unexpected '${token.value}' in: ${text}`);
  }

  function postfix(node: Node): Node {
    for (;;) {
      if (isOp('.')) {
        pos += 1;
        const name = tokens[pos];
        if (name?.kind !== 'ident') throw new ExpressionError(`expected a property name in: ${text}`);
        pos += 1;
        node = { type: 'member', object: node, property: { type: 'literal', value: name.value } };
      } else if (isOp('[')) {
        pos += 1;
        const property = binary(0);
        expectOp(']');
        node = { type: 'member', object: node, property };
      } else {
        return node;
      }
    }
  }

  function binary(minPrecedence: number): Node {
    let left = postfix(primary());
    for (;;) {
      const token = peek();
      const precedence = token?.kind === 'op' ? PRECEDENCE[token.value] : undefined;
      if (precedence === undefined || precedence < minPrecedence + 1) return left;
      pos += 1;
      const right = binary(precedence);
      left = { type: 'binary', op: (token as { value: string }).value, left, right };
    }
  }

  const node = binary(0);
  if (pos !== tokens.length) throw new ExpressionError(`unexpected '${tokens[pos]!.value}' in: ${text}`);
  return node;
}

/** Every context path an expression reads, e.g. `github.event.pull_request.number`, `needs.build.result`. */
export function contextPaths(node: Node): string[] {
  const paths: string[] = [];
  const pathOf = (n: Node): string | null => {
    if (n.type === 'context') return n.name;
    if (n.type === 'member' && n.property.type === 'literal' && typeof n.property.value === 'string') {
      const base = pathOf(n.object);
      return base === null ? null : `${base}.${n.property.value}`;
    }
    return null;
  };
  const walk = (n: Node) => {
    const path = pathOf(n);
    if (path !== null) {
      paths.push(path);
      return;
    }
    if (n.type === 'member') {
      walk(n.object);
      walk(n.property);
    } else if (n.type === 'call') n.args.forEach(walk);
    else if (n.type === 'not') walk(n.operand);
    else if (n.type === 'binary') {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(node);
  return paths;
}

export function truthy(value: Value | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

function toNumber(value: Value | undefined): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

export function toText(value: Value | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function equals(a: Value | undefined, b: Value | undefined): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (typeof x === 'string' && typeof y === 'string') return x.toLowerCase() === y.toLowerCase();
  if (x === null || y === null) return x === y;
  if (typeof x === 'object' || typeof y === 'object') return x === y;
  if (typeof x === typeof y) return x === y;
  return toNumber(x) === toNumber(y);
}

export interface Scope {
  contexts: Record<string, Value>;
  /** Status functions: success() etc., from the job or step being decided. */
  status?: { success: boolean; failure: boolean; cancelled: boolean };
}

export function evaluate(node: Node, scope: Scope): Value {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'context': {
      if (!(node.name in scope.contexts)) throw new ExpressionError(`unknown context '${node.name}'`);
      return scope.contexts[node.name]!;
    }
    case 'member': {
      const object = evaluate(node.object, scope);
      const key = toText(evaluate(node.property, scope));
      if (object === null || typeof object !== 'object' || Array.isArray(object)) return null;
      const direct = (object as Record<string, Value | undefined>)[key];
      if (direct !== undefined) return direct;
      const found = Object.keys(object).find((name) => name.toLowerCase() === key.toLowerCase());
      return found === undefined ? null : object[found]!;
    }
    case 'not':
      return !truthy(evaluate(node.operand, scope));
    case 'binary': {
      if (node.op === '&&') {
        const left = evaluate(node.left, scope);
        return truthy(left) ? evaluate(node.right, scope) : left;
      }
      if (node.op === '||') {
        const left = evaluate(node.left, scope);
        return truthy(left) ? left : evaluate(node.right, scope);
      }
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      if (node.op === '==') return equals(left, right);
      if (node.op === '!=') return !equals(left, right);
      const [l, r] =
        typeof left === 'string' && typeof right === 'string'
          ? [left.toLowerCase(), right.toLowerCase()]
          : [toNumber(left), toNumber(right)];
      if (node.op === '<') return l < r;
      if (node.op === '<=') return l <= r;
      if (node.op === '>') return l > r;
      return l >= r;
    }
    case 'call': {
      const args = node.args.map((arg) => evaluate(arg, scope));
      const status = scope.status ?? { success: true, failure: false, cancelled: false };
      switch (node.name) {
        case 'always':
          return true;
        case 'success':
          return status.success;
        case 'failure':
          return status.failure;
        case 'cancelled':
          return status.cancelled;
        case 'format':
          return toText(args[0]).replace(/\{(\d+)\}/g, (_, index: string) => toText(args[Number(index) + 1]));
        case 'contains': {
          const [haystack, needle] = args;
          if (Array.isArray(haystack)) return haystack.some((item) => equals(item, needle));
          return toText(haystack).toLowerCase().includes(toText(needle).toLowerCase());
        }
        case 'startsWith':
          return toText(args[0]).toLowerCase().startsWith(toText(args[1]).toLowerCase());
        case 'endsWith':
          return toText(args[0]).toLowerCase().endsWith(toText(args[1]).toLowerCase());
        case 'toJSON':
          return JSON.stringify(args[0] ?? null);
        case 'join': {
          const [items, separator] = args;
          return Array.isArray(items) ? items.map(toText).join(separator === undefined ? ',' : toText(separator)) : '';
        }
      }
      throw new ExpressionError(`unknown function ${node.name}()`);
    }
  }
}

/** Expressions inside `${{ … }}` in a string. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => match[1]!.trim());
}

/**
 * A value as the runner evaluates it: a string that is exactly one `${{ expr }}` becomes the expression's
 * value; otherwise each `${{ }}` is replaced by its text.
 */
export function interpolate(text: string, scope: Scope): Value {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1]!.includes('}}')) return evaluate(parse(whole[1]!.trim()), scope);
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => toText(evaluate(parse(expr.trim()), scope)));
}

/** A job's or step's `if:`, written with or without `${{ }}`; status functions decide the implicit success(). */
export function condition(text: string | boolean | undefined, scope: Scope): boolean {
  if (text === undefined) return scope.status?.success ?? true;
  if (typeof text === 'boolean') return text && (scope.status?.success ?? true);
  const trimmed = text.trim();
  const inner = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  const source = inner ? inner[1]!.trim() : trimmed;
  const node = parse(source);
  const usesStatus = /\b(always|success|failure|cancelled)\s*\(/.test(source);
  const value = truthy(evaluate(node, scope));
  return usesStatus ? value : value && (scope.status?.success ?? true);
}
