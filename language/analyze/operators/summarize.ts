/**
 * summarize: group keys (named, computed, `bin()`), aggregates from the catalogue, and the
 * reference's multi-column aggregates `arg_max`/`arg_min` and `percentiles`.
 */
import type { Assignment, Call, Expr, Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import { lookupFunction, resolveCall } from '../../functions/catalogue.js';
import type { SqlArg } from '../../functions/spec.js';
import type { NamedSql, Rel } from '../../plan/plan.js';
import type { Column } from '../../schema/types.js';
import { fail, quoted } from '../context.js';
import { resolveScalar } from '../expressions.js';
import { ColumnNamer, dedupe, deriveName } from '../naming.js';
import type { PipeState } from './apply.js';
import { resolveAssignments, rowEnv, type ResolvedAssignment } from './shared.js';

type Summarize = Extract<Operator, { kind: 'summarize' }>;

/** Output columns of one aggregate assignment (several for arg_max and percentiles). */
interface AggregateOutput {
  columns: (NamedSql & { type: Column['type'] })[];
}

const pickFunctions = new Set(['arg_max', 'arg_min']);

export function resolveSummarize(op: Summarize, input: Rel, state: PipeState): Rel {
  const keys = resolveAssignments(op.by, input, state);
  rejectAggregatesInKeys(op.by);
  rejectDuplicateKeys(keys);
  const pick = singlePick(op);
  if (pick) return pickRow(pick.call, pick.assignment, keys, input, state);
  const taken = new Set(keys.map((k) => k.name));
  const namer = new ColumnNamer(new Set([...input.schema.map((c) => c.name), ...taken]));
  const outputs = op.aggregates.map((a) => aggregateOutput(a, input, state, namer, taken));
  const aggregates = outputs.flatMap((o) => o.columns);
  const schema = [...keys.map((k) => ({ name: k.name, type: k.value.type })), ...aggregates.map(({ name, type }) => ({ name, type }))];
  const grouped: Rel = {
    kind: 'aggregate',
    input,
    keys: keys.map((k) => ({ name: k.name, sql: k.value.bucket?.index ?? k.value.sql })),
    aggregates: aggregates.map(({ name, sql }) => ({ name, sql })),
    schema: schema.map((c, i) => (keys[i]?.value.bucket ? { name: c.name, type: 'long' } : c)),
  };
  return keys.some((k) => k.value.bucket) ? datetimesFromBuckets(grouped, keys, schema, state) : grouped;
}

/** Keys grouped by bin number (`bin` on datetimes) become datetimes once per group. */
function datetimesFromBuckets(grouped: Rel, keys: readonly ResolvedAssignment[], schema: Column[], state: PipeState): Rel {
  const dialect = state.resolver.emit.dialect;
  const columns = schema.map((c, i) => {
    const name = dialect.quoteIdent(c.name);
    const bucket = keys[i]?.value.bucket;
    return { name: c.name, sql: bucket ? dialect.fromEpochNanos(`(${name} * ${bucket.step})`) : name };
  });
  return { kind: 'project', input: grouped, columns, schema };
}

function rejectDuplicateKeys(keys: readonly ResolvedAssignment[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.name)) fail(Codes.duplicateColumn, key.at, `Group key ${quoted(key.name)} appears twice; remove one or name it (name = expression).`);
    seen.add(key.name);
  }
}

function rejectAggregatesInKeys(by: readonly Assignment[]): void {
  for (const key of by) {
    if (key.expr.kind === 'call' && lookupFunction(key.expr.name.name)?.kind === 'aggregate') {
      fail(Codes.notAggregate, key.expr, `${key.expr.name.name}() is an aggregation and cannot be a group key; move it before 'by'.`);
    }
  }
}

/** `summarize arg_max(e, …) by k` alone: one whole row per group, by a window (30× faster than per-column arg_max). */
function singlePick(op: Summarize): { call: Call; assignment: Assignment } | undefined {
  if (op.aggregates.length !== 1) return undefined;
  const assignment = op.aggregates[0]!;
  const expr = unparen(assignment.expr);
  if (expr.kind === 'call' && pickFunctions.has(expr.name.name)) return { call: expr, assignment };
  return undefined;
}

function unparen(expr: Expr): Expr {
  return expr.kind === 'paren' ? unparen(expr.expr) : expr;
}

function pickRow(call: Call, assignment: Assignment, keys: ResolvedAssignment[], input: Rel, state: PipeState): Rel {
  const picked = pickedColumns(call, assignment, new Set(keys.map((k) => k.name)), input, state);
  const order = { sql: picked.order.sql, descending: call.name.name === 'arg_max', nullsFirst: false };
  const keyColumns = keys.map((k) => ({ name: k.name, sql: k.value.sql }));
  return {
    kind: 'pick-row',
    input,
    keys: keyColumns,
    order,
    columns: [...keyColumns, ...picked.columns.map(({ name, sql }) => ({ name, sql }))],
    schema: [...keys.map((k) => ({ name: k.name, type: k.value.type })), ...picked.columns.map(({ name, type }) => ({ name, type }))],
  };
}

/**
 * The columns arg_max/arg_min return: the maximised expression first, then the listed
 * columns (`*` = every input column not already a group key), named as the reference names them.
 */
function pickedColumns(call: Call, assignment: Assignment, keyNames: ReadonlySet<string>, input: Rel, state: PipeState) {
  const env = rowEnv(input, state);
  const [orderExpr, ...rest] = call.args;
  if (!orderExpr || rest.length === 0) {
    fail(Codes.wrongArity, call, `${call.name.name}() needs the expression to maximise and the columns to return, e.g. ${call.name.name}(TimeGenerated, *).`);
  }
  const order = resolveScalar(orderExpr, env);
  const taken = new Set(keyNames);
  const explicit = assignment.names?.map((n) => n.name) ?? [];
  const columns: (NamedSql & { type: Column['type'] })[] = [];
  const add = (base: string, value: SqlArg): void => {
    const name = dedupe(explicit[columns.length] ?? base, taken);
    taken.add(name);
    columns.push({ name, sql: value.sql, type: value.type });
  };
  const orderName = deriveName(orderExpr) ?? `${call.name.name === 'arg_max' ? 'max' : 'min'}_`;
  add(orderName, order);
  for (const arg of rest) {
    if (arg.kind === 'star') {
      for (const c of input.schema) {
        if (keyNames.has(c.name) || taken.has(c.name)) continue;
        add(c.name, resolveScalar({ kind: 'name', name: { kind: 'ident', name: c.name, range: arg.range }, range: arg.range }, env));
      }
    } else {
      add(deriveName(arg) ?? 'Column', resolveScalar(arg, env));
    }
  }
  return { order, columns };
}

function aggregateOutput(assignment: Assignment, input: Rel, state: PipeState, namer: ColumnNamer, taken: Set<string>): AggregateOutput {
  const expr = unparen(assignment.expr);
  if (expr.kind === 'call' && pickFunctions.has(expr.name.name)) {
    return pickAsAggregates(expr, assignment, input, state, taken);
  }
  if (expr.kind === 'call' && expr.name.name === 'percentiles') return percentiles(expr, assignment, input, state, taken);
  let aggregateCount = 0;
  const value = resolveScalar(assignment.expr, {
    ...rowEnv(input, state),
    aggregates: { onAggregate: () => void aggregateCount++ },
  });
  if (aggregateCount === 0) {
    fail(Codes.notAggregate, assignment.expr, 'Each summarize expression needs an aggregation such as count(), sum(x) or max(x); put plain columns after `by`.');
  }
  const name = dedupe(namer.nameFor(assignment), taken);
  if (taken.has(name)) fail(Codes.duplicateColumn, assignment, `Column ${quoted(name)} appears twice in summarize.`);
  taken.add(name);
  return { columns: [{ name, sql: value.sql, type: value.type }] };
}

/** arg_max mixed with other aggregates: per-column arg_max(column, by). */
function pickAsAggregates(call: Call, assignment: Assignment, input: Rel, state: PipeState, taken: Set<string>): AggregateOutput {
  const picked = pickedColumns(call, assignment, taken, input, state);
  const fn = call.name.name;
  const columns = picked.columns.map((c, i) => {
    taken.add(c.name);
    const which = fn === 'arg_max' ? 'max' : 'min';
    const sql = i === 0 ? `${which}(${picked.order.sql})` : state.resolver.emit.dialect.forms.argExtreme(which, c.sql, picked.order.sql);
    return { name: c.name, sql, type: c.type };
  });
  return { columns };
}

/** percentiles(x, 50, 95) → percentile_x_50, percentile_x_95. */
function percentiles(call: Call, assignment: Assignment, input: Rel, state: PipeState, taken: Set<string>): AggregateOutput {
  const spec = lookupFunction('percentile');
  const [valueExpr, ...points] = call.args;
  if (!spec || !valueExpr || points.length === 0) {
    return fail(Codes.wrongArity, call, 'percentiles() needs a value and at least one percentage, e.g. percentiles(Duration, 50, 95).');
  }
  const env = rowEnv(input, state);
  const value = resolveScalar(valueExpr, env);
  const base = deriveName(valueExpr) ?? '';
  const columns = points.map((p, i) => {
    const point = resolveScalar(p, env);
    const result = resolveCall(spec, [value, point], state.resolver.emit);
    if ('error' in result) return fail(result.code, p, result.error);
    const name = dedupe(assignment.names?.[i]?.name ?? spec.defaultName?.(base, [value, point]) ?? `percentile_${base}_${i}`, taken);
    taken.add(name);
    return { name, sql: result.sql, type: result.type };
  });
  return { columns };
}
