/**
 * Test support for the function catalogue: builds SqlArgs from constants and columns, renders
 * calls and operators through the public API, and evaluates them on a real in-memory DuckDB,
 * returning values in Kusto's printed forms (datetimes and timespans as the reference prints them).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ScalarType } from '../schema/types.js';
import { duckdb } from '../sql/duckdb.js';
import { lookupFunction, resolveCall } from './catalogue.js';
import { constantSql, formatDatetime, formatTimespan, parseDatetimeLiteral, parseTimespanLiteral } from './literals.js';
import { binaryOperator } from './operators.js';
import type { Constant, EmitContext, SqlArg } from './spec.js';

export const testNowNs = parseDatetimeLiteral('2024-05-06T07:08:09.1234567Z')!;
export const ctx: EmitContext = { dialect: duckdb, nowNs: testNowNs };

function constant(type: ScalarType, value: Constant['value']): SqlArg {
  const c: Constant = { type, value };
  return { sql: constantSql(c, ctx), type, constant: c };
}

/** Constant arguments, as the compiler would build them from literals. */
export const k = {
  str: (v: string) => constant('string', v),
  int: (v: number) => constant('int', v),
  long: (v: number | bigint) => constant('long', typeof v === 'bigint' ? v : BigInt(v)),
  real: (v: number) => constant('real', v),
  bool: (v: boolean) => constant('bool', v),
  dt: (text: string) => constant('datetime', parseDatetimeLiteral(text) ?? fail(`bad datetime ${text}`)),
  ts: (text: string) => constant('timespan', parseTimespanLiteral(text) ?? fail(`bad timespan ${text}`)),
  dyn: (json: string) => constant('dynamic', json),
  guid: (v: string) => constant('guid', v),
  null: (type: ScalarType) => constant(type, null),
};

function fail(message: string): never {
  throw new Error(message);
}

/** A non-constant argument: a column of the test table `t` (see createTestTable). */
export function col(name: string, type: ScalarType): SqlArg {
  return { sql: duckdb.quoteIdent(name), type };
}

/** One row with nulls and empties, for the cases constants cannot show (Kusto's null rules). */
export async function createTestTable(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE t AS SELECT
    CAST(NULL AS BIGINT) AS null_long, CAST(NULL AS VARCHAR) AS null_string, '' AS empty_string,
    CAST(NULL AS JSON) AS null_dynamic, CAST(NULL AS TIMESTAMP_NS) AS null_datetime,
    'Hello World' AS text, CAST(7 AS BIGINT) AS seven`);
}

export function call(name: string, ...args: SqlArg[]): SqlArg {
  const spec = lookupFunction(name) ?? fail(`no function ${name}`);
  const result = resolveCall(spec, args, ctx);
  if ('error' in result) throw new Error(result.error);
  return { sql: result.sql, type: result.type };
}

export function op(operator: string, left: SqlArg, right: SqlArg): SqlArg {
  const result = binaryOperator(operator, left, right, ctx);
  if ('error' in result) throw new Error(result.error);
  return result;
}

export type KustoValue = string | number | bigint | boolean | null;

export interface Harness {
  conn: DuckDBConnection;
  /** The value of an expression over the test table, in Kusto's printed form. */
  value(arg: SqlArg): Promise<KustoValue>;
  close(): void;
}

export async function openHarness(): Promise<Harness> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await createTestTable(conn);
  return {
    conn,
    value: (arg) => evaluate(conn, arg),
    close: () => conn.closeSync(),
  };
}

/** Reads the SQL value back as text and turns it into what Kusto would print. */
async function evaluate(conn: DuckDBConnection, arg: SqlArg): Promise<KustoValue> {
  const asText = arg.type === 'datetime' ? `CAST(epoch_ns(${arg.sql}) AS VARCHAR)` : `CAST(${arg.sql} AS VARCHAR)`;
  const reader = await conn.runAndReadAll(`SELECT ${asText} AS v FROM t`);
  const raw = reader.getRows()[0]?.[0];
  if (raw === null || raw === undefined) return null;
  const text = String(raw);
  switch (arg.type) {
    case 'datetime':
      return formatDatetime(BigInt(text));
    case 'timespan':
      return formatTimespan(BigInt(text));
    case 'int':
      return Number(text);
    case 'real':
      return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
    case 'long': {
      const n = BigInt(text);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'bool':
      return text === 'true';
    default:
      return text;
  }
}
