/** Helpers the operator resolvers share: the row environment and column checks. */
import type { Assignment, Ident } from '../../syntax/ast.js';
import { Codes, didYouMean } from '../../syntax/diagnostics.js';
import type { SqlArg } from '../../functions/spec.js';
import type { NamedSql, Rel } from '../../plan/plan.js';
import type { Column } from '../../schema/types.js';
import { fail, quoted } from '../context.js';
import { resolveScalar, type ScalarEnv } from '../expressions.js';
import { ColumnNamer } from '../naming.js';
import type { PipeState } from './apply.js';

export function rowEnv(input: Rel, state: PipeState): ScalarEnv {
  return { resolver: state.resolver, bindings: state.bindings, row: { columns: input.schema } };
}

export function quote(state: PipeState, name: string): string {
  return state.resolver.emit.dialect.quoteIdent(name);
}

/** All input columns, passed through unchanged. */
export function passThrough(input: Rel, state: PipeState): NamedSql[] {
  return input.schema.map((c) => ({ name: c.name, sql: quote(state, c.name) }));
}

export function requireColumn(input: Rel, ident: Ident): Column {
  const column = input.schema.find((c) => c.name === ident.name);
  if (!column) {
    const names = input.schema.map((c) => c.name);
    fail(Codes.unknownColumn, ident, `Unknown column ${quoted(ident.name)} in the input at this point of the pipeline.${didYouMean(ident.name, names)}`);
  }
  return column;
}

/** `Resource*` style patterns of project-away / project-keep / project-reorder. */
export function matchColumns(input: Rel, ident: Ident): Column[] {
  if (!ident.name.includes('*')) return [requireColumn(input, ident)];
  const pattern = new RegExp(`^${ident.name.split('*').map(escapeRegex).join('.*')}$`);
  return input.schema.filter((c) => pattern.test(c.name));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ResolvedAssignment {
  name: string;
  value: SqlArg;
  at: Assignment;
}

/**
 * Resolves `name = expr` lists in order; a later expression may use an earlier name
 * (`extend a = 1, b = a + 1`), so earlier results are inlined where they are referenced.
 */
export function resolveAssignments(assignments: readonly Assignment[], input: Rel, state: PipeState, env?: ScalarEnv): ResolvedAssignment[] {
  const base = env ?? rowEnv(input, state);
  const namer = new ColumnNamer(new Set(input.schema.map((c) => c.name)));
  const results: ResolvedAssignment[] = [];
  let bindings = base.bindings;
  for (const at of assignments) {
    if ((at.names?.length ?? 0) > 1) {
      fail(Codes.unsupported, at, 'Assigning one expression to several names is only supported for arg_max/arg_min and percentiles in summarize.');
    }
    const value = resolveScalar(at.expr, { ...base, bindings, row: shadowed(base, results) });
    const name = namer.nameFor(at);
    results.push({ name, value, at });
    bindings = bindings.with(name, { kind: 'scalar', value: { sql: `(${value.sql})`, type: value.type } });
  }
  return results;
}

/** Columns redefined by earlier assignments must resolve to the new value, not the input's. */
function shadowed(env: ScalarEnv, earlier: readonly ResolvedAssignment[]): ScalarEnv['row'] {
  if (!env.row || earlier.length === 0) return env.row;
  const names = new Set(earlier.map((r) => r.name));
  return { ...env.row, columns: env.row.columns.filter((c) => !names.has(c.name)) };
}
