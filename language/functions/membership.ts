/** `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all` and `between`. */
import { Codes } from '../syntax/diagnostics.js';
import { isNumeric, type ScalarType } from '../schema/types.js';
import { constantSql } from './literals.js';
import type { EmitContext, SqlArg } from './spec.js';
import { asText, escapeRegex, nullSafe, storeCannot, stringPredicateSql } from './string-operators.js';

export type InOperator = 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all';
export type OperatorResult = { sql: string; type: ScalarType } | { error: string; code: string };
export type InList = SqlArg[] | { subquerySql: string; type: ScalarType };

/** A constant dynamic array's elements as constants of `type` (`x in (dynamic(['a','b']))`). */
function expandConstantArray(item: SqlArg, type: ScalarType): SqlArg[] | undefined {
  if (item.type !== 'dynamic' || typeof item.constant?.value !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(item.constant.value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.map((v: unknown) => {
    const value = v === null || typeof v === 'object' ? (v === null ? null : JSON.stringify(v)) : (v as string | number | boolean);
    const elementType: ScalarType = typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'long' : 'real') : type;
    return { sql: '', type: elementType, constant: { type: elementType, value } };
  });
}

/** Flattens dynamic constant arrays; non-constant dynamic arrays stay as they are. */
function flattenList(items: readonly SqlArg[], type: ScalarType, ctx: EmitContext): SqlArg[] {
  return items.flatMap((item) => {
    const expanded = expandConstantArray(item, type);
    if (!expanded) return [item];
    return expanded.map((e) => ({ ...e, sql: constantSql(e.constant!, ctx) }));
  });
}

function lowerConstantOrSql(a: SqlArg, ctx: EmitContext): string {
  const v = a.constant?.value;
  if (a.type === 'string' && typeof v === 'string') return ctx.dialect.stringLiteral(v.toLowerCase());
  return ctx.dialect.forms.lower(asText(a, ctx).sql);
}

/** An item compared with the left operand: converted to the left's type when they differ. */
const convertTo = (arg: SqlArg, type: ScalarType, ctx: EmitContext): string => ctx.dialect.forms.convert(arg, type, ctx);

function itemAs(item: SqlArg, type: ScalarType, ctx: EmitContext): string {
  if (item.type === type || (isNumeric(item.type) && isNumeric(type))) return item.sql;
  return convertTo(item, type, ctx);
}

function inListSql(dynamicOrScalar: SqlArg, items: SqlArg[], caseInsensitive: boolean, ctx: EmitContext): string {
  const parts: string[] = [];
  // a dynamic value tested against scalars is converted to their type (`d.name in ("a", "b")`)
  const scalarType = items.find((i) => i.type !== 'dynamic')?.type;
  const left = dynamicOrScalar.type === 'dynamic' && scalarType
    ? { sql: convertTo(dynamicOrScalar, scalarType, ctx), type: scalarType }
    : dynamicOrScalar;
  const scalars = items.filter((i) => i.type !== 'dynamic' || left.type === 'dynamic');
  const arrays = items.filter((i) => i.type === 'dynamic' && left.type !== 'dynamic');
  const arrayHas = ctx.dialect.forms.dynamicArrayHas;
  if (arrays.length > 0 && !arrayHas) throw storeCannot(ctx, '`in` with a dynamic array computed per row');
  if (caseInsensitive) {
    const l = ctx.dialect.forms.lower(asText(left, ctx).sql);
    if (scalars.length) parts.push(`${l} IN (${scalars.map((i) => lowerConstantOrSql(i, ctx)).join(', ')})`);
    for (const a of arrays) parts.push(arrayHas!(a.sql, l, ctx.dialect.types.string, true));
  } else {
    if (scalars.length) parts.push(`${left.sql} IN (${scalars.map((i) => itemAs(i, left.type, ctx)).join(', ')})`);
    for (const a of arrays) parts.push(arrayHas!(a.sql, left.sql, ctx.dialect.types[left.type], false));
  }
  return parts.length === 0 ? ctx.dialect.forms.boolLiteral(false) : `(${parts.join(' OR ')})`;
}

function inSubquerySql(left: SqlArg, sub: { subquerySql: string }, caseInsensitive: boolean, ctx: EmitContext): string {
  if (!caseInsensitive) return `(${left.sql} IN (${sub.subquerySql}))`;
  const inIgnoringCase = ctx.dialect.forms.inSubqueryIgnoringCase ?? storeCannotThrow(ctx, '`in~` with a subquery');
  return inIgnoringCase(asText(left, ctx).sql, sub.subquerySql);
}

/** has_any with constants: one RE2 alternation of term patterns (one pass over the text). */
function hasAnySql(left: SqlArg, needles: SqlArg[], all: boolean, ctx: EmitContext): string {
  const s = asText(left, ctx).sql;
  const constants = needles.every((n) => n.constant && n.type !== 'dynamic');
  if (!all && constants && needles.length > 1) {
    const alternatives = needles.map((n) => {
      const text = String(n.constant!.value ?? '');
      const before = /^[A-Za-z0-9]/.test(text) ? '(?:^|[^[:alnum:]])' : '';
      const after = /[A-Za-z0-9]$/.test(text) ? '(?:$|[^[:alnum:]])' : '';
      return `${before}${escapeRegex(text)}${after}`;
    });
    return nullSafe(ctx.dialect.forms.regexMatch(s, ctx.dialect.stringLiteral(`(?i)(?:${alternatives.join('|')})`)), false, ctx);
  }
  const tests = needles.map((n) => {
    if (n.type !== 'dynamic') return stringPredicateSql('has', s, asText(n, ctx), false, ctx);
    // a dynamic array computed at run time: test each of its elements
    const arrayTest = ctx.dialect.forms.dynamicArrayTest ?? storeCannotThrow(ctx, `${all ? 'has_all' : 'has_any'} with a dynamic array`);
    return nullSafe(arrayTest(n.sql, (element) => stringPredicateSql('has', s, { sql: element, type: 'string' }, false, ctx), all), false, ctx);
  });
  return tests.length === 0 ? ctx.dialect.forms.boolLiteral(all) : `(${tests.join(all ? ' AND ' : ' OR ')})`;
}

function storeCannotThrow(ctx: EmitContext, what: string): never {
  throw storeCannot(ctx, what);
}

export function inOperator(op: InOperator, left: SqlArg, list: InList, ctx: EmitContext): OperatorResult {
  const negated = op.startsWith('!');
  if (op === 'has_any' || op === 'has_all') {
    if (!Array.isArray(list)) return { error: `${op} needs a list of values, not a subquery.`, code: Codes.unsupported };
    return { sql: hasAnySql(left, flattenList(list, 'string', ctx), op === 'has_all', ctx), type: 'bool' };
  }
  const caseInsensitive = op.endsWith('~');
  const sql = Array.isArray(list)
    ? inListSql(left, flattenList(list, left.type, ctx), caseInsensitive, ctx)
    : inSubquerySql(left, list, caseInsensitive, ctx);
  // `!in` is true on null, like every negated operator
  return { sql: nullSafe(sql, negated, ctx), type: 'bool' };
}

/** `x between (low .. high)`; for datetimes `high` may be a timespan added to `low`. */
export function betweenOperator(negated: boolean, left: SqlArg, low: SqlArg, high: SqlArg, ctx: EmitContext): OperatorResult {
  const d = ctx.dialect;
  let highSql = high.sql;
  if (left.type === 'datetime' && high.type === 'timespan' && low.type === 'datetime') {
    highSql = d.fromEpochNanos(`(${d.epochNanos(low.sql)} + ${high.sql})`);
  } else if (!comparable(left.type, low.type) || !comparable(left.type, high.type)) {
    return {
      error: `between expects bounds of the same type as the value (${left.type}), got ${low.type} .. ${high.type}.`,
      code: Codes.typeMismatch,
    };
  }
  return { sql: nullSafe(`(${left.sql} BETWEEN ${low.sql} AND ${highSql})`, negated, ctx), type: 'bool' };
}

function comparable(a: ScalarType, b: ScalarType): boolean {
  return a === b || (isNumeric(a) && isNumeric(b));
}
