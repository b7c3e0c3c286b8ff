/**
 * Operator precedence for the flat `operand (op operand)*` sequences the parser reads:
 * or < and < comparisons (incl. string operators, `in`, `between`) < `+ -` < `* / %`.
 * All binary levels associate left; comparisons do not chain (`a == b == c` is an error in
 * Kusto), so the builder reports a comparison whose left operand is an unparenthesised one.
 */
import type { Expr } from './ast.js';
import type { Range } from './diagnostics.js';
import { span } from './cst-helpers.js';

const comparison = 3;
const levels: Record<string, number> = { or: 1, and: 2, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5 };

/** The binding strength of a binary operator spelling; anything else compares. */
export function precedenceOf(op: string): number {
  return levels[op] ?? comparison;
}

export type Suffix =
  /** `op right`: a binary operator and its right operand. */
  | { kind: 'binary'; op: string; opRange: Range; right: Expr }
  /** `in (…)`, `between (… .. …)`: complete on its right, applied to its left operand. */
  | { kind: 'postfix'; opRange: Range; apply: (left: Expr) => Expr };

export function isComparison(e: Expr): boolean {
  return e.kind === 'in' || e.kind === 'between' || (e.kind === 'binary' && precedenceOf(e.op) === comparison);
}

/** Builds the tree; `chained` is called with the operator range of each chained comparison. */
export function applyPrecedence(first: Expr, suffixes: Suffix[], chained: (opRange: Range) => void): Expr {
  if (suffixes.length === 0) return first;
  const operands: Expr[] = [first];
  const pending: Extract<Suffix, { kind: 'binary' }>[] = [];

  const reduce = (): void => {
    const op = pending.pop()!;
    const right = operands.pop()!;
    const left = operands.pop()!;
    operands.push(binary(op.op, op.opRange, left, right, chained));
  };

  for (const suffix of suffixes) {
    const level = suffix.kind === 'binary' ? precedenceOf(suffix.op) : comparison;
    while (pending.length > 0 && precedenceOf(pending[pending.length - 1]!.op) >= level) reduce();
    if (suffix.kind === 'binary') {
      pending.push(suffix);
      operands.push(suffix.right);
    } else {
      const left = operands.pop()!;
      if (isComparison(left)) chained(suffix.opRange);
      operands.push(suffix.apply(left));
    }
  }
  while (pending.length > 0) reduce();
  return operands[0]!;
}

function binary(op: string, opRange: Range, left: Expr, right: Expr, chained: (opRange: Range) => void): Expr {
  if (precedenceOf(op) === comparison && isComparison(left)) chained(opRange);
  return { kind: 'binary', op, opRange, left, right, range: span(left.range, right.range) };
}
