/** Row-level operators: where, sort, top, take, distinct, count, serialize, getschema. */
import type { Expr, Operator, SortKey } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { Rel, SortSpec } from '../../plan/plan.js';
import type { Column } from '../../schema/types.js';
import { isNumeric } from '../../schema/types.js';
import { fail } from '../context.js';
import { resolvePredicate, resolveScalar } from '../expressions.js';
import type { PipeState } from './apply.js';
import { passThrough, resolveAssignments, rowEnv } from './shared.js';

type Op<K extends Operator['kind']> = Extract<Operator, { kind: K }>;

export function where(op: Op<'where'>, input: Rel, state: PipeState): Rel {
  const predicate = resolvePredicate(op.predicate, rowEnv(input, state));
  if (predicate.type !== 'bool') {
    fail(Codes.typeMismatch, op.predicate, `where needs a true/false condition, but this expression is ${predicate.type}. Compare it, e.g. \`where x == ...\` or \`where isnotempty(x)\`.`);
  }
  return { kind: 'filter', input, predicate: predicate.sql, schema: input.schema };
}

/** Kusto sorts descending by default; nulls come last when descending and first when ascending. */
export function sortSpecs(keys: readonly SortKey[], input: Rel, state: PipeState): SortSpec[] {
  const env = rowEnv(input, state);
  return keys.map((key) => {
    const value = resolveScalar(key.expr, env);
    if (value.type === 'dynamic') fail(Codes.typeMismatch, key.expr, 'Cannot sort by a dynamic value; convert it first, e.g. tostring(x) or tolong(x).');
    const descending = key.order !== 'asc';
    const nullsFirst = key.nulls ? key.nulls === 'first' : !descending;
    return { sql: value.sql, descending, nullsFirst };
  });
}

export function sort(op: Op<'sort'>, input: Rel, state: PipeState): Rel {
  return { kind: 'sort', input, keys: sortSpecs(op.by, input, state), schema: input.schema };
}

function countSql(count: Expr, input: Rel, state: PipeState, what: string): string {
  const value = resolveScalar(count, { ...rowEnv(input, state), row: undefined });
  if (!isNumeric(value.type)) fail(Codes.typeMismatch, count, `${what} needs a number of rows, e.g. \`${what} 10\`.`);
  const constant = value.constant?.value;
  if ((typeof constant === 'bigint' || typeof constant === 'number') && constant < 0) {
    fail(Codes.typeMismatch, count, `${what} needs a number of rows that is zero or more.`);
  }
  // A computed count below zero takes no rows rather than failing in the engine.
  return value.constant ? `CAST(${value.sql} AS BIGINT)` : `greatest(CAST(${value.sql} AS BIGINT), 0)`;
}

export function take(op: Op<'take'>, input: Rel, state: PipeState): Rel {
  return { kind: 'limit', input, count: countSql(op.count, input, state, 'take'), schema: input.schema };
}

export function top(op: Op<'top'>, input: Rel, state: PipeState): Rel {
  const sorted: Rel = { kind: 'sort', input, keys: sortSpecs(op.by, input, state), schema: input.schema };
  return { kind: 'limit', input: sorted, count: countSql(op.count, input, state, 'top'), schema: input.schema };
}

export function distinct(op: Op<'distinct'>, input: Rel, state: PipeState): Rel {
  if (op.columns.length === 1 && op.columns[0]!.kind === 'star') return { kind: 'distinct', input, schema: input.schema };
  const resolved = resolveAssignments(op.columns.map((expr) => ({ expr, range: expr.range })), input, state);
  const schema: Column[] = resolved.map((r) => ({ name: r.name, type: r.value.type }));
  const projected: Rel = { kind: 'project', input, columns: resolved.map((r) => ({ name: r.name, sql: r.value.sql })), schema };
  return { kind: 'distinct', input: projected, schema };
}

export function count(op: Op<'count'>, input: Rel): Rel {
  const name = op.as?.name ?? 'Count';
  return { kind: 'aggregate', input, keys: [], aggregates: [{ name, sql: 'count(*)' }], schema: [{ name, type: 'long' }] };
}

/** `serialize` fixes the row order so window functions such as row_number() may follow. */
export function serialize(op: Op<'serialize'>, input: Rel, state: PipeState): Rel {
  if (op.columns.length === 0) return input;
  const resolved = resolveAssignments(op.columns, input, state);
  return {
    kind: 'project',
    input,
    columns: [...passThrough(input, state), ...resolved.map((r) => ({ name: r.name, sql: r.value.sql }))],
    schema: [...input.schema, ...resolved.map((r) => ({ name: r.name, type: r.value.type }))],
  };
}

/** .NET type names, as the reference reports them in getschema. */
const dotnetTypes: Record<Column['type'], string> = {
  bool: 'System.SByte',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  decimal: 'System.Data.SqlTypes.SqlDecimal',
  string: 'System.String',
  datetime: 'System.DateTime',
  timespan: 'System.TimeSpan',
  guid: 'System.Guid',
  dynamic: 'System.Object',
};

export function getschema(input: Rel, state: PipeState): Rel {
  const lit = (s: string): string => state.resolver.emit.dialect.stringLiteral(s);
  const rows = input.schema.map((c, i) => [lit(c.name), `CAST(${i} AS ${state.resolver.emit.dialect.types.int})`, lit(dotnetTypes[c.type]), lit(c.type)]);
  return {
    kind: 'values',
    rows,
    schema: [
      { name: 'ColumnName', type: 'string' },
      { name: 'ColumnOrdinal', type: 'int' },
      { name: 'DataType', type: 'string' },
      { name: 'ColumnType', type: 'string' },
    ],
  };
}
