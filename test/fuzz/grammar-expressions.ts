/**
 * Typed scalar expressions for the grammar-based generator: literals of every type (with their
 * edge values), column references, operators, and calls of every catalogue function with
 * arguments of the types its entry declares. Mostly well-typed, so queries reach DuckDB; now and
 * then deliberately not, so the resolver's refusals are exercised too.
 */
import { allFunctions } from '../../language/functions/catalogue.js';
import type { ArgType, FunctionSpec } from '../../language/functions/spec.js';
import type { Column, ScalarType } from '../../language/schema/types.js';
import type { Picker } from './picker.js';

export const scalarTypes: readonly ScalarType[] = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic'];

const literals: Record<ScalarType, readonly string[]> = {
  bool: ['true', 'false', 'bool(null)', 'TRUE'],
  int: ['int(0)', 'int(7)', 'int(-2147483648)', 'int(2147483647)', 'int(null)'],
  long: ['0', '1', '-1', '42', '9223372036854775807', '-9223372036854775807', '0x7fffffffffffffff', 'long(null)', '1000000'],
  real: ['1.5', '0.0', '-0.5', '1e308', '1e-308', 'real(null)', '2.5e3', '1e19'],
  decimal: ['decimal(1.5)', 'decimal(0)', 'decimal(-12345678901234567.1)', 'decimal(null)'],
  string: ['""', '"a"', '"Linux"', '"Windows Update"', "'x'", '@"C:\\path"', '"a\\"b"', '"\\u00e9"', '"%_\\\\"'],
  datetime: ['datetime(2024-01-01)', 'now()', 'ago(1d)', 'datetime(null)', 'datetime(1678-01-01)', 'datetime(2261-12-31 23:59:59.9999999)', 'datetime(2024-02-29T12:00:00Z)'],
  timespan: ['1d', '2h', '30m', '1s', '100ms', '1tick', '0s', 'timespan(null)', '-1h', 'time(1.00:00:00)', '106751d'],
  guid: ['guid(74be27de-1e4e-49d9-b579-fe0b331d3642)', 'guid(null)'],
  dynamic: ['dynamic([1, 2, "a"])', 'dynamic({"a": 1, "b": [true, null]})', 'dynamic([])', 'dynamic(null)', 'dynamic({})', 'parse_json("[1,2]")'],
};

const numeric: readonly ScalarType[] = ['int', 'long', 'real', 'decimal'];

export interface ExprContext {
  p: Picker;
  columns: readonly Column[];
  /** True in `summarize` positions where aggregates are allowed. */
  depth: number;
}

function typeFrom(argType: ArgType, p: Picker): ScalarType {
  if (argType === 'any' || argType === 'scalar') return p.pick(scalarTypes);
  if (argType === 'numeric') return p.pick(numeric);
  if (typeof argType === 'string') return argType;
  return p.pick(argType);
}

function returnType(spec: FunctionSpec): ScalarType | undefined {
  return typeof spec.returns === 'string' ? spec.returns : undefined;
}

const scalarFunctions = allFunctions().filter((f) => f.kind === 'scalar' && !['row_number', 'prev', 'next'].includes(f.name));
export const aggregateFunctions = allFunctions().filter((f) => f.kind === 'aggregate');

/** A call of `spec` with arguments of its declared types; constants where it requires them. */
export function callOf(spec: FunctionSpec, ctx: ExprContext): string {
  const args: string[] = [];
  for (const arg of spec.args) {
    if (arg.optional && !ctx.p.chance(0.4)) break;
    const repeat = arg.variadic ? ctx.p.int(1, 3) : 1;
    for (let i = 0; i < repeat; i++) {
      const type = typeFrom(arg.type, ctx.p);
      args.push(arg.constant ? constantFor(arg.name, type, ctx.p) : expr(type, { ...ctx, depth: ctx.depth + 1 }));
    }
  }
  return `${spec.name}(${args.join(', ')})`;
}

/** Constant arguments have meaning by name: a datetime part, a format, a regex. */
function constantFor(name: string, type: ScalarType, p: Picker): string {
  if (name === 'part') return p.pick(['"day"', '"hour"', '"Year"', '"week"', '"nanosecond"', '"bogus"']);
  if (name === 'format') return p.pick(['"yyyy-MM-dd"', '"HH:mm:ss.fffffff"', '"tt"', '""']);
  if (name === 'regex') return p.pick(['"(\\\\d+)"', '"[a-z]+"', '"(a)(b)?"', '"("', '"[z-a]"', '"\\\\"', '"(?i)x"', '"a{2,1}"']);
  if (name === 'percentile') return p.pick(['50', '0', '100', '99.9', '-1', '101']);
  return p.pick(literals[type]);
}

export function expr(type: ScalarType, ctx: ExprContext): string {
  const { p, columns } = ctx;
  const matching = columns.filter((c) => c.type === type || (numeric.includes(type) && numeric.includes(c.type)));
  const roll = ctx.depth > 3 ? p.int(0, 1) : p.int(0, 9);
  if (roll === 0) return p.pick(literals[type]);
  if (roll === 1) return matching.length > 0 ? quoteName(p.pick(matching).name, p) : p.pick(literals[type]);
  if (roll === 2 && p.chance(0.15)) return expr(p.pick(scalarTypes), ctx); // deliberately ill-typed
  if (roll === 3) {
    const functions = scalarFunctions.filter((f) => returnType(f) === type || (returnType(f) === undefined && p.chance(0.3)));
    if (functions.length > 0) return callOf(p.pick(functions), ctx);
  }
  if (roll === 4) return `(${expr(type, { ...ctx, depth: ctx.depth + 1 })})`;
  return operatorExpr(type, { ...ctx, depth: ctx.depth + 1 });
}

function operatorExpr(type: ScalarType, ctx: ExprContext): string {
  const { p } = ctx;
  if (type === 'bool') return predicate(ctx);
  if (numeric.includes(type)) return `${expr(type, ctx)} ${p.pick(['+', '-', '*', '/', '%'])} ${expr(p.pick(numeric), ctx)}`;
  if (type === 'datetime') return `${expr('datetime', ctx)} ${p.pick(['+', '-'])} ${expr('timespan', ctx)}`;
  if (type === 'timespan') return p.chance(0.5) ? `${expr('datetime', ctx)} - ${expr('datetime', ctx)}` : `${expr('timespan', ctx)} * ${expr('long', ctx)}`;
  if (type === 'string') return `strcat(${expr('string', ctx)}, ${expr(p.pick(scalarTypes), ctx)})`;
  if (type === 'dynamic') return p.chance(0.5) ? `${expr('dynamic', ctx)}[${expr(p.pick(['long', 'string'] as const), ctx)}]` : `${expr('dynamic', ctx)}.a`;
  return p.pick(literals[type]);
}

const stringOperators = ['has', '!has', 'has_cs', 'contains', '!contains', 'contains_cs', 'startswith', '!startswith_cs', 'endswith', 'hasprefix', 'hassuffix_cs', '=~', '!~', 'matches regex'];

function predicate(ctx: ExprContext): string {
  const { p } = ctx;
  switch (p.int(0, 6)) {
    case 0: {
      const t = p.pick(scalarTypes);
      return `${expr(t, ctx)} ${p.pick(['==', '!=', '<', '<=', '>', '>=', '<>'])} ${expr(t, ctx)}`;
    }
    case 1:
      return `${expr('string', ctx)} ${p.pick(stringOperators)} ${expr('string', ctx)}`;
    case 2:
      return `${expr('bool', ctx)} ${p.pick(['and', 'or'])} ${expr('bool', ctx)}`;
    case 3: {
      const t = p.pick(scalarTypes);
      const items = Array.from({ length: p.int(1, 3) }, () => expr(t, ctx));
      return `${expr(t, ctx)} ${p.pick(['in', '!in', 'in~', '!in~'])} (${items.join(', ')})`;
    }
    case 4: {
      const t = p.pick(['long', 'real', 'datetime', 'timespan'] as const);
      return `${expr(t, ctx)} ${p.pick(['between', '!between'])} (${expr(t, ctx)} .. ${expr(t, ctx)})`;
    }
    case 5:
      return `${expr('string', ctx)} ${p.pick(['has_any', 'has_all'])} (${expr('string', ctx)}, ${expr('string', ctx)})`;
    default:
      return `not(${expr('bool', ctx)})`;
  }
}

/** A column name as written: bare, or bracketed (which any name allows). */
export function quoteName(name: string, p: Picker): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
  return bare && !p.chance(0.1) ? name : `['${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
}
