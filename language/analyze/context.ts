/**
 * The state threaded through resolution: bindings, the dialect context, and hooks back into
 * tabular resolution (scalar expressions may hold subqueries: `x in (T | distinct x)`).
 */
import type { Expr, Node } from '../syntax/ast.js';
import { Codes, QueryError, diagnostic, type Range } from '../syntax/diagnostics.js';
import { NotOnStore, type EmitContext } from '../functions/spec.js';
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

/**
 * Runs `build`, reporting a form the store cannot run (NotOnStore, thrown by a dialect's
 * conversion) as E402 at `at`, the operator or argument that needed it.
 */
export function refusedAt<T>(at: Node | Range, ctx: EmitContext, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof NotOnStore)) throw error;
    const store = ctx.dialect.name === 'clickhouse' ? 'ClickHouse' : ctx.dialect.name;
    return fail(Codes.unsupportedOnStore, at, `${error.message} is not supported on the ${store} store; run the query on the embedded DuckDB store.`);
  }
}

/** Names the user wrote, shown quoted in messages. */
export function quoted(name: string): string {
  return `'${name}'`;
}
