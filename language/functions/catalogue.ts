/**
 * The function catalogue: every scalar and aggregate function as one data entry, looked up by
 * name, with resolveCall checking arity and argument types and rendering the dialect's SQL.
 */
import { Codes } from '../syntax/diagnostics.js';
import type { ScalarType } from '../schema/types.js';
import type { DialectName } from '../sql/dialect.js';
import { aggregateFunctions } from './aggregates.js';
import { clickhouseBucket, clickhouseSql } from './clickhouse-sql.js';
import { conditionalFunctions } from './conditionals.js';
import { conversionFunctions } from './conversions.js';
import { datetimePartFunctions } from './datetime-parts.js';
import { datetimeFunctions } from './datetimes.js';
import { duckdbBucket, duckdbSql } from './duckdb-sql.js';
import { dynamicFunctions } from './dynamic.js';
import type { ArgProblem, FunctionEntry } from './entry.js';
import { mathFunctions } from './math.js';
import { functionNames } from './names.js';
import { NotOnStore, renderTemplate, type ArgSpec, type Bucket, type ArgType, type EmitContext, type FunctionSpec, type SqlArg } from './spec.js';
import { stringFunctions } from './strings.js';
import { windowFunctions } from './window.js';

const familyEntries: readonly FunctionEntry[] = [
  ...conditionalFunctions,
  ...stringFunctions,
  ...datetimeFunctions,
  ...datetimePartFunctions,
  ...conversionFunctions,
  ...mathFunctions,
  ...dynamicFunctions,
  ...windowFunctions,
  ...aggregateFunctions,
];

/**
 * Each entry with each dialect's own SQL added: the DuckDB column (duckdb-sql.ts) and the
 * ClickHouse column (clickhouse-sql.ts). A function without ClickHouse SQL is refused there.
 */
const entries: readonly FunctionEntry[] = familyEntries.map(withDialectSql);

function withDialectSql(entry: FunctionEntry): FunctionEntry {
  const duckdbOwn = duckdbSql[entry.name];
  if (duckdbOwn !== undefined && entry.sql.duckdb !== undefined) throw new Error(`function ${entry.name} has DuckDB SQL both in its entry and in duckdb-sql.ts`);
  const sql = { ...entry.sql, ...(duckdbOwn !== undefined ? { duckdb: duckdbOwn } : {}) };
  if (sql.duckdb === undefined) throw new Error(`function ${entry.name} has no DuckDB SQL: give its entry standard SQL or add it to duckdb-sql.ts`);
  const clickhouse = clickhouseSql[entry.name];
  if (clickhouse !== undefined) sql.clickhouse = clickhouse;
  const buckets = { ...entry.bucket, ...bucketOf('duckdb', duckdbBucket[entry.name]), ...(clickhouse !== undefined ? bucketOf('clickhouse', clickhouseBucket[entry.name]) : {}) };
  return { ...entry, sql, ...(Object.keys(buckets).length > 0 ? { bucket: buckets } : {}) };
}

function bucketOf(dialect: DialectName, bucket: ((args: SqlArg[], ctx: EmitContext) => Bucket) | undefined) {
  return bucket ? { [dialect]: bucket } : {};
}

const byName = new Map<string, FunctionEntry>();
for (const entry of entries) {
  for (const name of [entry.name, ...(entry.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`function ${name} is defined twice`);
    byName.set(name, entry);
  }
}
// FunctionName (names.ts) types the overrides; a name listed there without its entry is a mistake
for (const name of functionNames) {
  if (byName.get(name)?.name !== name) throw new Error(`function ${name} is listed in names.ts but has no catalogue entry`);
}

/** The entry for a name or alias; names are case-sensitive (Kusto's are lower-case). */
export function lookupFunction(name: string): FunctionSpec | undefined {
  return byName.get(name);
}

export function allFunctions(): readonly FunctionSpec[] {
  return entries;
}

/** Every name and alias, for "did you mean" and completion. */
export function allFunctionNames(): string[] {
  return [...byName.keys()];
}

export type ResolveResult = { sql: string; type: ScalarType; bucket?: Bucket } | { error: string; code: string; argIndex?: number };

export function resolveCall(spec: FunctionSpec, given: SqlArg[], ctx: EmitContext): ResolveResult {
  let args: SqlArg[];
  try {
    args = given.map((a, i) => dynamicAsText(spec, i, a, ctx));
  } catch (error) {
    if (!(error instanceof NotOnStore)) throw error;
    return { error: `${spec.name}() is not supported on the ${storeName(ctx)} store for ${error.message}; run the query on the embedded DuckDB store.`, code: Codes.unsupportedOnStore };
  }
  const problem = arityProblem(spec, args.length) ?? argumentProblem(spec, args) ?? (spec as FunctionEntry).validate?.(args);
  if (problem) {
    return {
      error: problem.message,
      code: problem.code ?? Codes.typeMismatch,
      ...(problem.argIndex !== undefined ? { argIndex: problem.argIndex } : {}),
    };
  }
  const template = spec.sql[ctx.dialect.name];
  if (!template) return { error: `${spec.name}() is not supported on the ${storeName(ctx)} store; run the query on the embedded DuckDB store.`, code: ctx.dialect.name === 'duckdb' ? Codes.unsupported : Codes.unsupportedOnStore };
  const type = typeof spec.returns === 'function' ? spec.returns(args) : spec.returns;
  let sql: string;
  try {
    sql = renderTemplate(template, args, ctx);
  } catch (error) {
    if (!(error instanceof NotOnStore)) throw error;
    return { error: `${spec.name}() is not supported on the ${storeName(ctx)} store for ${error.message}; run the query on the embedded DuckDB store.`, code: Codes.unsupportedOnStore };
  }
  const bucket = type === 'datetime' ? spec.bucket?.[ctx.dialect.name] : undefined;
  return bucket ? { sql, type, bucket: bucket(args, ctx) } : { sql, type };
}

function storeName(ctx: EmitContext): string {
  return ctx.dialect.name === 'clickhouse' ? 'ClickHouse' : ctx.dialect.name;
}

/** A dynamic value passed where only text is accepted is read as its text (strlen(d.name)), as Kusto does. */
function dynamicAsText(spec: FunctionSpec, index: number, arg: SqlArg, ctx: EmitContext): SqlArg {
  const expected = specFor(spec, index)?.type;
  if (arg.type !== 'dynamic' || expected === undefined || accepts(expected, 'dynamic') || !accepts(expected, 'string')) return arg;
  return { sql: ctx.dialect.forms.convert(arg, 'string', ctx), type: 'string' };
}

// ---------------------------------------------------------------------------------------------
// Arity

function arityRange(spec: FunctionSpec): { min: number; max: number } {
  const required = spec.args.filter((a) => !a.optional).length;
  const variadic = spec.args.some((a) => a.variadic);
  return { min: required, max: variadic ? Infinity : spec.args.length };
}

function signature(spec: FunctionSpec): string {
  const parts = spec.args.map((a) => (a.variadic ? `${a.name}, …` : a.name));
  const firstOptional = spec.args.findIndex((a) => a.optional);
  if (firstOptional < 0) return parts.join(', ');
  return `${parts.slice(0, firstOptional).join(', ')}[${firstOptional > 0 ? ', ' : ''}${parts.slice(firstOptional).join(', ')}]`;
}

function arityProblem(spec: FunctionSpec, count: number): ArgProblem | undefined {
  const { min, max } = arityRange(spec);
  if (count >= min && count <= max) return undefined;
  const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
  const noun = min === max && min === 1 ? 'argument' : 'arguments';
  return { message: `${spec.name}() expects ${expected} ${noun} (${signature(spec)}), got ${count}.`, code: Codes.wrongArity };
}

// ---------------------------------------------------------------------------------------------
// Argument types

const widensTo: Record<ScalarType, readonly ScalarType[]> = {
  int: ['long', 'real', 'decimal'],
  long: ['real', 'decimal'],
  decimal: ['real'],
  real: [],
  bool: [],
  string: [],
  datetime: [],
  timespan: [],
  guid: [],
  dynamic: [],
};

/** Whether a value of `actual` type may be passed where `expected` is declared (ints widen). */
export function accepts(expected: ArgType, actual: ScalarType): boolean {
  if (expected === 'any' || expected === 'scalar') return true;
  if (expected === 'numeric') return ['int', 'long', 'real', 'decimal'].includes(actual);
  const options: readonly ScalarType[] = typeof expected === 'string' ? [expected] : expected;
  return options.some((t) => t === actual || widensTo[actual].includes(t));
}

function specFor(spec: FunctionSpec, index: number): ArgSpec | undefined {
  const last = spec.args[spec.args.length - 1];
  return spec.args[index] ?? (last?.variadic ? last : undefined);
}

function argumentProblem(spec: FunctionSpec, args: readonly SqlArg[]): ArgProblem | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const s = specFor(spec, i);
    if (!s) continue;
    if (!accepts(s.type, a.type)) {
      return {
        message: `${spec.name}() expects ${describeType(s.type)} as argument ${i + 1} (${s.name}), got ${a.type}.${conversionHint(s.type)}`,
        argIndex: i,
        code: Codes.typeMismatch,
      };
    }
    if (s.constant && !a.constant) {
      return { message: `${spec.name}() needs a constant as argument ${i + 1} (${s.name}), not a column or expression.`, argIndex: i, code: Codes.constantRequired };
    }
  }
  return undefined;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function describeType(t: ArgType): string {
  if (t === 'numeric') return 'a number';
  if (t === 'any' || t === 'scalar') return 'a value';
  if (typeof t === 'string') return article(t);
  const names = t.map((x) => x);
  return names.length === 1 ? article(names[0]!) : `${article(names.slice(0, -1).join(', '))} or ${names[names.length - 1]}`;
}

const converters: Partial<Record<ScalarType | 'numeric', string>> = {
  string: 'tostring', int: 'toint', long: 'tolong', real: 'todouble', decimal: 'todecimal', numeric: 'todouble',
  bool: 'tobool', datetime: 'todatetime', timespan: 'totimespan', guid: 'toguid', dynamic: 'parse_json',
};

function conversionHint(t: ArgType): string {
  const target = typeof t === 'string' ? t : t[0];
  const fn = target && target !== 'any' && target !== 'scalar' ? converters[target] : undefined;
  return fn ? ` Convert it with ${fn}().` : '';
}
