/**
 * Binary and unary operators with Kusto semantics: arithmetic over numbers, datetimes and
 * timespans; comparisons (== case-sensitive, =~ not); and/or; the string predicates; dynamic
 * member and index access. `in` and `between` live in membership.ts.
 */
import { Codes } from '../syntax/diagnostics.js';
import { isNumeric, widerNumeric, type ScalarType } from '../schema/types.js';
import type { OperatorResult } from './membership.js';
import { NotOnStore, type EmitContext, type SqlArg } from './spec.js';
import { asText, nullSafe, storeCannot, StoreCannot, stringOperatorSql } from './string-operators.js';
import { betweenOperator as betweenSql, inOperator as inSql, type InList, type InOperator } from './membership.js';

/** SQL converting `arg` to `type` with Kusto's rules on the dialect's store (null where it does not convert). */
export function convertTo(arg: SqlArg, type: ScalarType, ctx: EmitContext): string {
  return ctx.dialect.forms.convert(arg, type, ctx);
}
export { type InList, type InOperator, type OperatorResult } from './membership.js';

const isWhole = (t: ScalarType) => t === 'int' || t === 'long';

function mismatch(op: string, left: SqlArg, right: SqlArg, hint = ''): OperatorResult {
  return { error: `Cannot apply '${op}' to ${left.type} and ${right.type}.${hint}`, code: Codes.typeMismatch };
}

/** A construct the store refuses becomes an error result, so the resolver reports it at the operator's range. */
export function refusalAsResult(build: () => OperatorResult, ctx: EmitContext): OperatorResult {
  try {
    return build();
  } catch (error) {
    if (error instanceof StoreCannot) return { error: error.message, code: error.code };
    if (error instanceof NotOnStore) {
      const refusal = storeCannot(ctx, error.message);
      return { error: refusal.message, code: refusal.code };
    }
    throw error;
  }
}

export function inOperator(op: InOperator, left: SqlArg, list: InList, ctx: EmitContext): OperatorResult {
  return refusalAsResult(() => inSql(op, left, list, ctx), ctx);
}

export function betweenOperator(negated: boolean, left: SqlArg, low: SqlArg, high: SqlArg, ctx: EmitContext): OperatorResult {
  return refusalAsResult(() => betweenSql(negated, left, low, high, ctx), ctx);
}

export function binaryOperator(op: string, left: SqlArg, right: SqlArg, ctx: EmitContext): OperatorResult {
  return refusalAsResult(() => binaryOperatorSql(op, left, right, ctx), ctx);
}

function binaryOperatorSql(op: string, left: SqlArg, right: SqlArg, ctx: EmitContext): OperatorResult {
  switch (op) {
    case '+': case '-': case '*': case '/': case '%':
      return arithmetic(op, left, right, ctx);
    case '==': case '!=': case '<': case '<=': case '>': case '>=':
      return comparison(op, left, right, ctx);
    case '=~': case '!~':
      return caseInsensitiveEquality(op === '!~', left, right, ctx);
    case 'and': case 'or':
      return logical(op, left, right, ctx);
  }
  const sql = stringOperatorSql(op, left, right, ctx);
  if (sql) return { sql, type: 'bool' };
  return { error: `Unknown operator '${op}'.`, code: Codes.unsupported };
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

function arithmetic(op: '+' | '-' | '*' | '/' | '%', l: SqlArg, r: SqlArg, ctx: EmitContext): OperatorResult {
  const d = ctx.dialect;
  if (isNumeric(l.type) && isNumeric(r.type)) return numericArithmetic(op, l, r, ctx);
  const lt = l.type;
  const rt = r.type;
  if (lt === 'datetime' && rt === 'datetime' && op === '-') {
    return { sql: `(${d.epochNanos(l.sql)} - ${d.epochNanos(r.sql)})`, type: 'timespan' }; // datetime - datetime is a timespan
  }
  if (lt === 'datetime' && rt === 'timespan' && (op === '+' || op === '-')) {
    return { sql: d.fromEpochNanos(`(${d.epochNanos(l.sql)} ${op} ${r.sql})`), type: 'datetime' };
  }
  if (lt === 'timespan' && rt === 'datetime' && op === '+') {
    return { sql: d.fromEpochNanos(`(${d.epochNanos(r.sql)} + ${l.sql})`), type: 'datetime' };
  }
  if (lt === 'timespan' && rt === 'timespan') {
    if (op === '/') return { sql: `(CAST(${l.sql} AS DOUBLE) / ${r.sql})`, type: 'real' }; // timespan / timespan is a ratio
    if (op === '*') return mismatch(op, l, r, ' Multiply a timespan by a number.');
    return { sql: `(${l.sql} ${op} ${r.sql})`, type: 'timespan' };
  }
  if (lt === 'timespan' && isNumeric(rt) && (op === '*' || op === '/')) return scaleTimespan(op, l.sql, r, ctx);
  if (isNumeric(lt) && rt === 'timespan' && op === '*') return scaleTimespan('*', r.sql, l, ctx);
  const hint = lt === 'string' || rt === 'string' ? ' Use strcat() to join text, or convert with todouble().' : '';
  return mismatch(op, l, r, hint);
}

function numericArithmetic(op: string, l: SqlArg, r: SqlArg, ctx: EmitContext): OperatorResult {
  const type = widerNumeric(l.type, r.type);
  // whole numbers divide as whole numbers, truncating toward zero (7 / 2 = 3, -7 / 2 = -3);
  // dividing them by zero gives null, a real divided by zero gives ±infinity
  if (op === '/' && isWhole(l.type) && isWhole(r.type)) return { sql: ctx.dialect.forms.intDiv(l.sql, r.sql), type };
  if (op === '/' && type === 'real') return { sql: `(CAST(${l.sql} AS DOUBLE) / ${r.sql})`, type };
  return { sql: `(${l.sql} ${op} ${r.sql})`, type };
}

function scaleTimespan(op: '*' | '/', span: string, n: SqlArg, ctx: EmitContext): OperatorResult {
  if (isWhole(n.type)) return { sql: op === '*' ? `(${span} * ${n.sql})` : ctx.dialect.forms.intDiv(span, n.sql), type: 'timespan' };
  return { sql: `CAST(trunc(${span} ${op} ${n.sql}) AS BIGINT)`, type: 'timespan' };
}

// ---------------------------------------------------------------------------------------------
// Comparison

const sqlComparison: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function comparison(op: string, l: SqlArg, r: SqlArg, ctx: EmitContext): OperatorResult {
  const sqlOp = sqlComparison[op]!;
  const operands = comparableOperands(l, r, ctx);
  if (!operands) return mismatch(op, l, r, ' Convert one side, e.g. with tostring() or todatetime().');
  // != is a negated operator: true when either side is null (null != 1 holds)
  if (op === '!=') return { sql: ctx.dialect.forms.distinctFrom(operands[0], operands[1]), type: 'bool' };
  // strings compare case-sensitively (== is exact; =~ ignores case)
  return { sql: `(${operands[0]} ${sqlOp} ${operands[1]})`, type: 'bool' };
}

/** Both sides as SQL of one comparable type, converting dynamic and guid/string as Kusto does. */
function comparableOperands(l: SqlArg, r: SqlArg, ctx: EmitContext): [string, string] | undefined {
  if (l.type === r.type) {
    return l.type === 'dynamic' ? [`CAST(${l.sql} AS VARCHAR)`, `CAST(${r.sql} AS VARCHAR)`] : [l.sql, r.sql];
  }
  if (isNumeric(l.type) && isNumeric(r.type)) return [l.sql, r.sql];
  // a dynamic value meeting a scalar is converted to the scalar's type
  if (l.type === 'dynamic') return [convertTo(l, r.type, ctx), r.sql];
  if (r.type === 'dynamic') return [l.sql, convertTo(r, l.type, ctx)];
  if (l.type === 'guid' && r.type === 'string') return [l.sql, convertTo(r, 'guid', ctx)];
  if (l.type === 'string' && r.type === 'guid') return [convertTo(l, 'guid', ctx), r.sql];
  return undefined;
}

function caseInsensitiveEquality(negated: boolean, l: SqlArg, r: SqlArg, ctx: EmitContext): OperatorResult {
  const lower = (a: SqlArg) => {
    const v = a.constant?.value;
    return a.type === 'string' && typeof v === 'string' ? ctx.dialect.stringLiteral(v.toLowerCase()) : ctx.dialect.forms.lower(asText(a, ctx).sql);
  };
  // =~ is equality ignoring case; !~ is its negation and, like every negated operator, true on null
  return { sql: nullSafe(`(${lower(l)} = ${lower(r)})`, negated, ctx), type: 'bool' };
}

function logical(op: 'and' | 'or', l: SqlArg, r: SqlArg, ctx: EmitContext): OperatorResult {
  const asBool = (a: SqlArg) => (a.type === 'bool' ? a.sql : a.type === 'dynamic' ? convertTo(a, 'bool', ctx) : undefined);
  const [ls, rs] = [asBool(l), asBool(r)];
  if (ls === undefined || rs === undefined) return mismatch(op, l, r, ' Both sides must be bool conditions.');
  return { sql: `(${ls} ${op.toUpperCase()} ${rs})`, type: 'bool' };
}

// ---------------------------------------------------------------------------------------------
// Unary minus and dynamic access

export function unaryMinus(arg: SqlArg, _ctx: EmitContext): OperatorResult {
  if (!isNumeric(arg.type) && arg.type !== 'timespan') {
    return { error: `Cannot negate a ${arg.type}; '-' applies to numbers and timespans.`, code: Codes.typeMismatch };
  }
  return { sql: `(-(${arg.sql}))`, type: arg.type };
}

/** Dynamic values are JSON text on ClickHouse; reading into them is not supported there. */
function noDynamicAccess(ctx: EmitContext): OperatorResult {
  return { error: `Reading properties of dynamic values is not supported on the ${ctx.dialect.name === 'clickhouse' ? 'ClickHouse' : ctx.dialect.name} store.`, code: Codes.unsupportedOnStore };
}

function notDynamic(target: SqlArg, what: string): OperatorResult {
  return {
    error: `${what} needs a dynamic value, got ${target.type}. Parse it first with parse_json().`,
    code: Codes.typeMismatch,
  };
}

/** `d.key`: the property, or null when missing (a JSON null is null too). */
export function memberAccess(target: SqlArg, key: string, ctx: EmitContext): OperatorResult {
  if (target.type !== 'dynamic') return notDynamic(target, `'.${key}'`);
  const access = ctx.dialect.forms.dynamicAccess;
  if (!access) return noDynamicAccess(ctx);
  return { sql: access.property(target.sql, key), type: 'dynamic' };
}

/** `d[0]`, `d[-1]` (from the end), `d['key']`. */
export function indexAccess(target: SqlArg, index: SqlArg, ctx: EmitContext): OperatorResult {
  if (target.type !== 'dynamic') return notDynamic(target, 'Indexing with [...]');
  const access = ctx.dialect.forms.dynamicAccess;
  if (!access) return noDynamicAccess(ctx);
  const v = index.constant?.value;
  if (index.type === 'string') {
    if (typeof v === 'string') return memberAccess(target, v, ctx);
    return { sql: access.propertyAt(target.sql, index.sql), type: 'dynamic' };
  }
  if (!isWhole(index.type)) return { error: `An array index must be a whole number or a key string, got ${index.type}.`, code: Codes.typeMismatch };
  if (v !== undefined && v !== null) return { sql: access.element(target.sql, BigInt(v as number | bigint | string)), type: 'dynamic' };
  return { sql: access.elementAt(target.sql, index.sql), type: 'dynamic' };
}
