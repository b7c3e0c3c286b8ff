/** Tabular expressions: sources (tables, lets, datatable, print, range, union) and pipelines. */
import type { Datatable, Expr, Operator, Print, RangeSource } from '../syntax/ast.js';
import { Codes, didYouMean } from '../syntax/diagnostics.js';
import { convertTo } from '../functions/operators.js';
import type { SqlArg } from '../functions/spec.js';
import { markSource, type Rel } from '../plan/plan.js';
import { UnsupportedOnStore } from '../sql/dialect.js';
import type { Column } from '../schema/types.js';
import { fail, quoted, refusedAt, type Resolver } from './context.js';
import { resolveScalar, type ScalarEnv } from './expressions.js';
import { applyOperator, type PipeState } from './operators/apply.js';
import { resolveUnion } from './operators/union.js';
import type { Bindings } from './scope.js';
import { expandStoredFunction, storedFunctionNames, storedFunctionOf } from './stored-functions.js';
import { callTabularFunction } from './user-functions.js';

export function resolveTabular(expr: Expr, bindings: Bindings, resolver: Resolver): Rel {
  switch (expr.kind) {
    case 'name':
      return namedSource(expr.name.name, expr, bindings, resolver);
    case 'paren':
      return resolveTabular(expr.expr, bindings, resolver);
    case 'pipeline':
      return pipeline(expr.source, expr.operators, bindings, resolver);
    case 'datatable':
      return datatable(expr, bindings, resolver);
    case 'print':
      return print(expr, bindings, resolver);
    case 'range':
      return range(expr, bindings, resolver);
    case 'union':
      return resolveUnion(expr, undefined, { resolver, bindings });
    case 'call': {
      const binding = bindings.lookup(expr.name.name);
      if (binding?.kind === 'function') return callTabularFunction(expr, binding, resolver, bindings);
      const stored = storedFunctionOf(expr.name.name, bindings);
      if (stored) return expandStoredFunction(expr.name.name, stored, expr, expr.args, bindings, resolver);
      return fail(Codes.notTabular, expr, `${quoted(expr.name.name)}(...) does not return a table; a table or a query is expected here.`);
    }
    case 'error':
      return fail(Codes.syntax, expr, 'This query could not be read; fix the syntax error here first.');
    default:
      return fail(Codes.notTabular, expr, 'A table or a query is expected here (e.g. a table name such as Heartbeat, or datatable(...)[...]).');
  }
}

function pipeline(source: Expr, operators: readonly Operator[], bindings: Bindings, resolver: Resolver): Rel {
  const state: PipeState = { resolver, bindings };
  let rel = markSource(refusedAt(source, resolver.emit, () => resolveTabular(source, bindings, resolver)), undefined, source.range);
  operators.forEach((op, i) => {
    refuseShape(op, resolver);
    const made = refusedAt(op, resolver.emit, () => applyOperator(op, rel, state, i === operators.length - 1));
    rel = markSource(made, rel, op.range);
  });
  return rel;
}

/** An operator whose whole plan shape the store refuses is reported as that, before its parts are resolved. */
function refuseShape(op: Operator, resolver: Resolver): void {
  if (op.kind !== 'mv-expand' && op.kind !== 'make-series') return;
  const dialect = resolver.emit.dialect;
  const reason = dialect.unsupported[op.kind];
  if (reason === undefined) return;
  fail(Codes.unsupportedOnStore, op, `${new UnsupportedOnStore(dialect.name, op.kind, reason).message}. Run it on the embedded DuckDB store.`);
}

function namedSource(name: string, at: Expr, bindings: Bindings, resolver: Resolver): Rel {
  const binding = bindings.lookup(name);
  if (binding?.kind === 'tabular') return binding.rel;
  if (binding?.kind === 'scalar') {
    return fail(Codes.notTabular, at, `${quoted(name)} is a scalar value, but a table is expected here.`);
  }
  if (binding?.kind === 'function') {
    return fail(Codes.notTabular, at, `${quoted(name)} is a function; call it with parentheses: ${name}(...).`);
  }
  const table = bindings.catalog.table(name);
  if (table) return { kind: 'table', table: table.name, schema: table.columns };
  const stored = storedFunctionOf(name, bindings);
  if (stored) return expandStoredFunction(name, stored, at, [], bindings, resolver);
  const candidates = [...bindings.catalog.tableNames(), ...bindings.allNames(), ...storedFunctionNames(bindings)];
  return fail(Codes.unknownTable, at, `Unknown table ${quoted(name)}.${didYouMean(name, candidates)} Run \`upkeep schema\` to list the tables.`);
}

function datatable(expr: Datatable, bindings: Bindings, resolver: Resolver): Rel {
  const schema: Column[] = expr.columns.map((c) => ({ name: c.name.name, type: c.type }));
  if (schema.length === 0) return fail(Codes.syntax, expr, 'datatable needs at least one column: datatable(name:string)[...].');
  if (expr.values.length % schema.length !== 0) {
    return fail(
      Codes.wrongArity,
      expr,
      `datatable has ${schema.length} columns but ${expr.values.length} values; the count of values must be a multiple of the columns.`,
    );
  }
  const env: ScalarEnv = { resolver, bindings, row: undefined };
  const rows: string[][] = [];
  for (let i = 0; i < expr.values.length; i += schema.length) {
    rows.push(schema.map((column, j) => cellSql(expr.values[i + j]!, column, env)));
  }
  return { kind: 'values', rows, schema };
}

function cellSql(value: Expr, column: Column, env: ScalarEnv): string {
  const arg = resolveScalar(value, env);
  if (!arg.constant) return fail(Codes.constantRequired, value, 'datatable values must be literals.');
  if (arg.constant.value === null) return `CAST(NULL AS ${env.resolver.emit.dialect.types[column.type]})`;
  if (arg.type === column.type) return arg.sql;
  return convertTo(arg, column.type, env.resolver.emit);
}

function print(expr: Print, bindings: Bindings, resolver: Resolver): Rel {
  const env: ScalarEnv = { resolver, bindings, row: undefined };
  const taken = new Set<string>();
  const schema: Column[] = [];
  const row: string[] = [];
  expr.columns.forEach((assignment, i) => {
    const arg = resolveScalar(assignment.expr, env);
    // Unnamed print columns are print_0, print_1 … by position.
    const name = assignment.names?.[0]?.name ?? `print_${i}`;
    if (taken.has(name)) fail(Codes.duplicateColumn, assignment, `Column ${quoted(name)} appears twice in print.`);
    taken.add(name);
    schema.push({ name, type: arg.type });
    row.push(arg.sql);
  });
  return { kind: 'values', rows: [row], schema };
}

function range(expr: RangeSource, bindings: Bindings, resolver: Resolver): Rel {
  const env: ScalarEnv = { resolver, bindings, row: undefined };
  const from = resolveScalar(expr.from, env);
  const to = resolveScalar(expr.to, env);
  const step = resolveScalar(expr.step, env);
  const isTime = from.type === 'datetime' || from.type === 'timespan';
  if (isTime && step.type !== 'timespan') {
    fail(Codes.typeMismatch, expr.step, `The step of a ${from.type} range must be a timespan such as 1h.`);
  }
  const type = from.type === 'int' && to.type === 'int' && step.type === 'int' ? 'long' : from.type;
  const dialect = resolver.emit.dialect;
  const num = (a: SqlArg): string => (a.type === 'datetime' ? dialect.epochNanos(a.sql) : a.sql);
  return {
    kind: 'range',
    from: num(from),
    to: num(to),
    step: step.sql,
    schema: [{ name: expr.column.name, type: type === 'int' ? 'long' : type }],
  };
}

