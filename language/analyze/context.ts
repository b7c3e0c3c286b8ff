/**
 * The state threaded through resolution: bindings, the dialect context, and hooks back into
 * tabular resolution (scalar expressions may hold subqueries: `x in (T | distinct x)`).
 */
import type { Expr, Node } from '../syntax/ast.js';
import { QueryError, diagnostic, type Range } from '../syntax/diagnostics.js';
import type { EmitContext } from '../functions/spec.js';
import type { Rel } from '../plan/plan.js';
import type { Bindings } from './scope.js';

export interface Resolver {
  emit: EmitContext;
  /** Resolve a tabular expression to a plan. */
  tabular(expr: Expr, bindings: Bindings): Rel;
  /** SQL for a plan, for subqueries embedded in scalar expressions. */
  sql(rel: Rel): string;
  /** User-function call depth, to stop runaway recursion with a diagnostic. */
  depth: number;
  /** Stored functions being expanded, outermost first: a name seen twice is a cycle. */
  expanding?: string[];
  /** Every stored function the query expanded (reported as CompileResult.functions). */
  usedFunctions?: Set<string>;
  /** The query's `render` hint, kept as result metadata. */
  render?: { visualization: string; properties: Record<string, string | number | boolean | string[]> };
}

export function fail(code: string, at: Node | Range, message: string): never {
  const range = 'range' in at ? at.range : at;
  throw new QueryError(diagnostic(code, range, message));
}

/** Names the user wrote, shown quoted in messages. */
export function quoted(name: string): string {
  return `'${name}'`;
}
