/**
 * The catalogue's DuckDB column: SQL for each function whose DuckDB form is not the standard
 * SQL its family entry carries (regexes, lists, JSON, date parts, `//`, TRY_CAST). Part of the
 * DuckDB dialect, as clickhouse-sql.ts is of the ClickHouse one; merged into the family entries
 * by catalogue.ts.
 */
import { duckdbAggregateSql } from './duckdb-aggregates.js';
import { duckdbDatetimeBucket, duckdbDatetimeSql } from './duckdb-datetimes.js';
import { duckdbDynamicSql, duckdbNullTestSql } from './duckdb-dynamic.js';
import { duckdbMathSql } from './duckdb-math.js';
import { duckdbStringSql } from './duckdb-strings.js';
import type { FunctionOverrides } from './entry.js';
import type { FunctionName } from './names.js';
import type { Bucket, EmitContext, SqlArg } from './spec.js';

export const duckdbSql: Readonly<FunctionOverrides> = {
  ...duckdbStringSql,
  ...duckdbDatetimeSql,
  ...duckdbNullTestSql,
  ...duckdbDynamicSql,
  ...duckdbMathSql,
  ...duckdbAggregateSql,
};

/** Datetime bins as bin number × width (see SqlArg.bucket). */
export const duckdbBucket: Readonly<Partial<Record<FunctionName, (args: SqlArg[], ctx: EmitContext) => Bucket>>> = {
  ...duckdbDatetimeBucket,
};
