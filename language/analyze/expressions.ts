/**
 * Scalar expressions: AST → typed SQL fragment (`SqlArg`), bottom-up. Names resolve against
 * the current row, then let-bound scalars; functions and operators come from the catalogue
 * in language/functions, so their Kusto semantics live in one place.
 */
import type { Call, Expr, InExpr, Literal } from '../syntax/ast.js';
import { Codes, didYouMean } from '../syntax/diagnostics.js';
import { allFunctions, lookupFunction, resolveCall } from '../functions/catalogue.js';
import { constantSql, datetimeInRange, datetimeRange, parseDatetimeLiteral, parseTimespanLiteral, timespanInRange } from '../functions/literals.js';
import {
  betweenOperator,
  binaryOperator,
  indexAccess,
  inOperator,
  memberAccess,
  unaryMinus,
} from '../functions/operators.js';
import type { Constant, FunctionSpec, SqlArg } from '../functions/spec.js';
import { forFilter } from '../functions/string-operators.js';
import { fail, quoted, type Resolver } from './context.js';
import { callUserFunction } from './user-functions.js';
import { findColumn, type Bindings, type RowScope } from './scope.js';
import { isTabularExpr } from './tabular-test.js';

export interface ScalarEnv {
  resolver: Resolver;
  bindings: Bindings;
  row: RowScope | undefined;
  /** Inside `summarize`: aggregate calls are allowed and reported through `onAggregate`. */
  aggregates?: { onAggregate(spec: FunctionSpec): void };
  /** Window functions such as row_number() are only meaningful on serialized rows. */
  serialized?: boolean;
}

export function resolveScalar(expr: Expr, env: ScalarEnv): SqlArg {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'datetime':
    case 'timespan':
    case 'guid':
    case 'null':
    case 'dynamic':
      return literal(expr, env);
    case 'name':
      return nameRef(expr.name.name, expr, env);
    case 'paren':
      return resolveScalar(expr.expr, env);
    case 'unary': {
      const operand = resolveScalar(expr.operand, env);
      if (expr.op === '+') return operand;
      const negated = checked(unaryMinus(operand, env.resolver.emit), expr);
      return { ...negated, ...negatedConstant(operand) };
    }
    case 'binary': {
      const left = resolveScalar(expr.left, env);
      const right = resolveScalar(expr.right, env);
      return checked(binaryOperator(expr.op, left, right, env.resolver.emit), expr);
    }
    case 'in':
      return inExpr(expr, env);
    case 'between': {
      const left = resolveScalar(expr.left, env);
      const low = resolveScalar(expr.low, env);
      const high = resolveScalar(expr.high, env);
      return checked(betweenOperator(expr.negated, left, low, high, env.resolver.emit), expr);
    }
    case 'call':
      return call(expr, env);
    case 'member': {
      const target = resolveScalar(expr.target, env);
      requireDynamic(target, expr.target);
      return checked(memberAccess(target, expr.member.name, env.resolver.emit), expr);
    }
    case 'index': {
      const target = resolveScalar(expr.target, env);
      requireDynamic(target, expr.target);
      const index = resolveScalar(expr.index, env);
      return checked(indexAccess(target, index, env.resolver.emit), expr);
    }
    case 'star':
      return fail(Codes.syntax, expr, "'*' is only allowed as an argument of arg_max/arg_min or in 'distinct *'.");
    case 'error':
      return fail(Codes.syntax, expr, 'This expression could not be read; fix the syntax error here first.');
    case 'pipeline':
    case 'datatable':
    case 'print':
    case 'range':
    case 'union':
      return fail(
        Codes.notScalar,
        expr,
        'A tabular expression is used where a single value is expected. Use it with `in (...)`, or reduce it with toscalar().',
      );
  }
}

type OperatorResult = { sql: string; type: SqlArg['type'] } | { error: string; code: string };

/**
 * A `where` condition: like resolveScalar, but the comparisons joined by and/or sit where null
 * counts as false, so they skip the null-to-false wrapping a value position needs.
 */
export function resolvePredicate(expr: Expr, env: ScalarEnv): SqlArg {
  if (expr.kind === 'paren') return resolvePredicate(expr.expr, env);
  if (expr.kind === 'binary' && (expr.op === 'and' || expr.op === 'or')) {
    const left = resolvePredicate(expr.left, env);
    const right = resolvePredicate(expr.right, env);
    if (left.type === 'bool' && right.type === 'bool') return { sql: `(${left.sql} ${expr.op.toUpperCase()} ${right.sql})`, type: 'bool' };
    return resolveScalar(expr, env);
  }
  const value = resolveScalar(expr, env);
  return value.type === 'bool' ? { ...value, sql: forFilter(value.sql) } : value;
}

function checked(result: OperatorResult | SqlArg, at: Expr): SqlArg {
  if ('error' in result) return fail(result.code, at, result.error);
  return result;
}

/** `-5` stays a constant, so places that need one (take, datatable, bounds) accept it. */
function negatedConstant(operand: SqlArg): { constant?: Constant } {
  const value = operand.constant?.value;
  if (typeof value === 'bigint') return { constant: { type: operand.type, value: -value } };
  if (typeof value === 'number') return { constant: { type: operand.type, value: -value } };
  return {};
}

function requireDynamic(target: SqlArg, at: Expr): void {
  if (target.type !== 'dynamic') {
    fail(
      Codes.typeMismatch,
      at,
      `Member and index access need a dynamic value, but this is ${target.type}. Convert it with todynamic() / parse_json().`,
    );
  }
}

function literal(expr: Literal, env: ScalarEnv): SqlArg {
  const constant = literalConstant(expr);
  return { sql: constantSql(constant, env.resolver.emit), type: constant.type, constant };
}

function literalConstant(expr: Literal): Constant {
  switch (expr.kind) {
    case 'string':
      return { type: 'string', value: expr.value };
    case 'bool':
      return { type: 'bool', value: expr.value };
    case 'number':
      return numberConstant(expr);
    case 'datetime': {
      const ns = parseDatetimeLiteral(expr.text);
      if (ns === undefined) {
        return fail(Codes.badLiteral, expr, `'${expr.text}' is not a datetime. Write it as datetime(2024-01-31) or datetime(2024-01-31 13:45:00).`);
      }
      if (!datetimeInRange(ns)) {
        return fail(Codes.badLiteral, expr, `datetime(${expr.text}) is outside the datetimes this engine keeps (${datetimeRange.text}, in nanoseconds). Use a date inside that range.`);
      }
      return { type: 'datetime', value: ns };
    }
    case 'timespan': {
      const ns = parseTimespanLiteral(expr.text);
      if (ns === undefined) {
        return fail(Codes.badLiteral, expr, `'${expr.text}' is not a timespan. Write it as 1d, 2h, 30m, 10s, 100ms or timespan(1.02:03:04).`);
      }
      if (!timespanInRange(ns)) {
        return fail(Codes.badLiteral, expr, `The timespan '${expr.text}' is longer than the longest timespan (about 106751 days, in nanoseconds). Use a shorter one.`);
      }
      return { type: 'timespan', value: ns };
    }
    case 'guid':
      if (!/^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$/.test(expr.text.trim())) {
        return fail(Codes.badLiteral, expr, `'${expr.text}' is not a guid. Write it as guid(74be27de-1e4e-49d9-b579-fe0b331d3642).`);
      }
      return { type: 'guid', value: expr.text.trim().toLowerCase() };
    case 'null':
      return { type: expr.type, value: null };
    case 'dynamic':
      return { type: 'dynamic', value: JSON.stringify(expr.value) };
  }
}

function numberConstant(expr: Extract<Literal, { kind: 'number' }>): Constant {
  if (expr.type === 'real' || expr.type === 'decimal') {
    const value = Number(expr.text);
    if (Number.isNaN(value)) return fail(Codes.badLiteral, expr, `'${expr.text}' is not a number.`);
    return { type: expr.type, value };
  }
  let value: bigint;
  try {
    value = BigInt(expr.text);
  } catch {
    return fail(Codes.badLiteral, expr, `'${expr.text}' is not an integer.`);
  }
  const bits = expr.type === 'int' ? 31n : 63n;
  if (value >= 1n << bits || value < -(1n << bits)) {
    return fail(Codes.badLiteral, expr, `${expr.text} does not fit in ${expr.type === 'int' ? 'an int (32 bits)' : 'a long (64 bits)'}. Use real(${expr.text}) for larger numbers.`);
  }
  return { type: expr.type, value: expr.type === 'int' ? Number(value) : value };
}

function nameRef(name: string, at: Expr, env: ScalarEnv): SqlArg {
  const column = findColumn(env.row, name);
  if (column) {
    const prefix = env.row?.qualifier ? `${env.row.qualifier}.` : '';
    return { sql: `${prefix}${env.resolver.emit.dialect.quoteIdent(name)}`, type: column.type };
  }
  const binding = env.bindings.lookup(name);
  if (binding?.kind === 'scalar') return binding.value;
  if (binding?.kind === 'tabular' || (!binding && (env.bindings.catalog.table(name) || env.bindings.catalog.functions?.has(name)))) {
    return fail(Codes.notScalar, at, `${quoted(name)} is a table, but a column or value is expected here. Use it as a source, or with \`in (${name} | project Column)\`.`);
  }
  if (binding?.kind === 'function') {
    return fail(Codes.notScalar, at, `${quoted(name)} is a function; call it with parentheses: ${name}(...).`);
  }
  const candidates = [...(env.row?.columns.map((c) => c.name) ?? []), ...env.bindings.allNames()];
  const where = env.row ? 'in the input at this point of the pipeline' : 'here';
  return fail(Codes.unknownColumn, at, `Unknown column or name ${quoted(name)} ${where}.${didYouMean(name, candidates)}`);
}

function call(expr: Call, env: ScalarEnv): SqlArg {
  const name = expr.name.name;
  const binding = env.bindings.lookup(name);
  if (binding?.kind === 'function') return callUserFunction(expr, binding, env);
  const spec = lookupFunction(name);
  if (!spec && !binding && env.bindings.catalog.functions?.has(name)) {
    return fail(Codes.notScalar, expr, `${quoted(name)} is a saved search and returns a table, but a value is expected here. Use it as a source, or with \`in (${name})\`.`);
  }
  if (!spec) {
    const candidates = [...functionNames(), ...env.bindings.allNames()];
    return fail(Codes.unknownFunction, expr.name, `Unknown function ${quoted(name)}.${didYouMean(name, candidates)}`);
  }
  if (spec.kind === 'aggregate') {
    if (!env.aggregates) {
      return fail(Codes.aggregateOutsideSummarize, expr.name, `${name}() is an aggregation; use it inside summarize (e.g. \`| summarize ${name}(...) by Computer\`).`);
    }
    env.aggregates.onAggregate(spec);
  }
  // Aggregate arguments are row-level expressions: no nested aggregates.
  const argEnv: ScalarEnv = spec.kind === 'aggregate' ? { ...env, aggregates: undefined } : env;
  const args = expr.args.map((a) => (a.kind === 'star' ? starArg(a, name) : resolveScalar(a, argEnv)));
  const result = resolveCall(spec, args, env.resolver.emit);
  if ('error' in result) {
    const at = result.argIndex !== undefined ? (expr.args[result.argIndex] ?? expr) : expr;
    return fail(result.code, at, result.error);
  }
  return result;
}

function starArg(at: Expr, name: string): never {
  return fail(Codes.typeMismatch, at, `${name}() does not take '*'. Name the columns instead.`);
}

function functionNames(): string[] {
  return allFunctions().flatMap((f) => [f.name, ...(f.aliases ?? [])]);
}

function inExpr(expr: InExpr, env: ScalarEnv): SqlArg {
  const left = resolveScalar(expr.left, env);
  const only = expr.list.length === 1 ? expr.list[0] : undefined;
  if (only && isTabularExpr(only, env.bindings, env.row)) {
    const rel = env.resolver.tabular(only, env.bindings);
    const first = rel.schema[0];
    if (!first) return fail(Codes.notTabular, only, 'The subquery returns no columns.');
    const firstName = env.resolver.emit.dialect.quoteIdent(first.name);
    const subquerySql = `SELECT ${firstName} FROM (${env.resolver.sql(rel)}) AS _in`;
    return checked(inOperator(expr.op, left, { subquerySql, type: first.type }, env.resolver.emit), expr);
  }
  const list = expr.list.map((e) => resolveScalar(e, env));
  return checked(inOperator(expr.op, left, list, env.resolver.emit), expr);
}
