/** make-series: arrays of aggregates over a regular axis, one row per group. */
import type { Expr, Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import { convertTo } from '../../functions/operators.js';
import type { SqlArg } from '../../functions/spec.js';
import type { Rel } from '../../plan/plan.js';
import { isNumeric } from '../../schema/types.js';
import { fail } from '../context.js';
import { resolveScalar } from '../expressions.js';
import { ColumnNamer, deriveName } from '../naming.js';
import type { PipeState } from './apply.js';
import { resolveAssignments, rowEnv } from './shared.js';

type Series = Extract<Operator, { kind: 'make-series' }>;

export function resolveSeries(op: Series, input: Rel, state: PipeState): Rel {
  const env = rowEnv(input, state);
  const ctx = state.resolver.emit;
  const axis = resolveScalar(op.on, env);
  const isTime = axis.type === 'datetime' || axis.type === 'timespan';
  if (!isTime && !isNumeric(axis.type)) {
    fail(Codes.typeMismatch, op.on, `make-series needs a datetime, timespan or numeric axis after 'on', but this is ${axis.type}.`);
  }
  const asNumber = (a: SqlArg): string => (a.type === 'datetime' ? ctx.dialect.epochNanos(a.sql) : a.sql);
  const bound = (e: Expr | undefined): string | undefined => {
    if (!e) return undefined;
    const value = resolveScalar(e, { ...env, row: undefined });
    if (value.type !== axis.type && !(isNumeric(value.type) && isNumeric(axis.type))) {
      fail(Codes.typeMismatch, e, `This bound is ${value.type} but the axis is ${axis.type}.`);
    }
    return asNumber(value);
  };
  const step = resolveScalar(op.step, { ...env, row: undefined });
  if (isTime ? step.type !== 'timespan' : !isNumeric(step.type)) {
    fail(Codes.typeMismatch, op.step, `The step of a ${axis.type} axis must be ${isTime ? 'a timespan such as 1h' : 'a number'}.`);
  }
  const keys = resolveAssignments(op.by, input, state);
  const namer = new ColumnNamer(new Set([...input.schema.map((c) => c.name), ...keys.map((k) => k.name)]));
  const aggregates = op.aggregates.map((a) => {
    let seen = 0;
    const value = resolveScalar(a.expr, { ...env, aggregates: { onAggregate: () => void seen++ } });
    if (seen === 0) fail(Codes.notAggregate, a.expr, 'make-series needs aggregations such as count() or avg(x) before `on`.');
    const fallback = a.default ? resolveScalar(a.default, { ...env, row: undefined }) : undefined;
    // Empty bins are 0 unless `default=` says otherwise, as the reference does.
    const defaultSql = fallback ? fallback.sql : convertTo({ sql: '0', type: 'long' }, value.type, ctx);
    return { name: namer.nameFor(a), sql: value.sql, defaultSql, type: value.type };
  });
  const axisName = deriveName(op.on) ?? namer.fresh('Column');
  const element = { sql: '__axis_value', type: 'long' as const };
  const elementSql = axis.type === 'datetime' ? convertTo({ sql: ctx.dialect.fromEpochNanos(element.sql), type: 'datetime' }, 'string', ctx) : element.sql;
  return {
    kind: 'series',
    input,
    keys: keys.map((k) => ({ name: k.name, sql: k.value.sql })),
    axis: { name: axisName, sql: asNumber(axis), elementSql },
    ...optional('from', bound(op.from)),
    ...optional('to', bound(op.to)),
    step: step.sql,
    aggregates: aggregates.map(({ name, sql, defaultSql }) => ({ name, sql, defaultSql })),
    schema: [
      ...keys.map((k) => ({ name: k.name, type: k.value.type })),
      ...aggregates.map((a) => ({ name: a.name, type: 'dynamic' as const })),
      { name: axisName, type: 'dynamic' },
    ],
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
