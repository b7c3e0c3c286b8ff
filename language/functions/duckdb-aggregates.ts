/**
 * The DuckDB column of the aggregates (aggregates.ts): the `…if` forms as `FILTER (WHERE …)`,
 * make_set/make_list as JSON lists, any_value, and percentiles as quantile_disc.
 */
import { percentileValue, wholeAverage, wholeSum } from './aggregates.js';
import { toJsonValueSql } from './duckdb-fragments.js';
import type { FunctionOverrides } from './entry.js';
import type { EmitContext, SqlArg } from './spec.js';

/** `sum(x) FILTER (WHERE p)` for the `…if` forms. */
function filtered(sql: string, predicate: SqlArg | undefined): string {
  return predicate ? `${sql} FILTER (WHERE ${predicate.sql})` : sql;
}

/** make_set/make_list: a JSON array of the non-null values (at most maxSize), [] when there are none. */
function collectSql(distinct: boolean, value: SqlArg, predicate: SqlArg | undefined, maxSize: SqlArg | undefined, ctx: EmitContext): string {
  const condition = predicate ? `(${value.sql}) IS NOT NULL AND (${predicate.sql})` : `(${value.sql}) IS NOT NULL`;
  let list = `list(${distinct ? 'DISTINCT ' : ''}${toJsonValueSql(value, ctx)}) FILTER (WHERE ${condition})`;
  if (maxSize) list = `list_slice(${list}, 1, ${maxSize.sql})`;
  return `coalesce(to_json(${list}), CAST('[]' AS JSON))`;
}

/**
 * The p-th percentile (0–100) of arg. Kusto uses the nearest-rank definition (the smallest value
 * with at least p% of the values at or below it), which is exactly DuckDB's quantile_disc.
 */
function percentileSql(arg: SqlArg, p: number): string {
  return `quantile_disc(${arg.sql}, ${p / 100})`;
}

export const duckdbAggregateSql: FunctionOverrides = {
  countif: 'count(*) FILTER (WHERE {0})',
  sumif: (args) => wholeSum(filtered(`sum(${args[0]!.sql})`, args[1]), args[0]!),
  avgif: (args) => wholeAverage(filtered(`avg(${args[0]!.sql})`, args[1]), args[0]!),
  minif: 'min({0}) FILTER (WHERE {1})',
  maxif: 'max({0}) FILTER (WHERE {1})',
  dcountif: 'count(DISTINCT {0}) FILTER (WHERE {1})',
  make_set: (args, ctx) => collectSql(true, args[0]!, undefined, args[1], ctx),
  make_list: (args, ctx) => collectSql(false, args[0]!, undefined, args[1], ctx),
  make_set_if: (args, ctx) => collectSql(true, args[0]!, args[1], args[2], ctx),
  make_list_if: (args, ctx) => collectSql(false, args[0]!, args[1], args[2], ctx),
  take_any: 'any_value({0})',
  any: 'any_value({0})',
  stdevif: 'stddev_samp({0}) FILTER (WHERE {1})',
  stdevpif: 'stddev_pop({0}) FILTER (WHERE {1})',
  varianceif: 'var_samp({0}) FILTER (WHERE {1})',
  variancepif: 'var_pop({0}) FILTER (WHERE {1})',
  percentile: (args) => percentileSql(args[0]!, percentileValue(args[1]) ?? 50),
};
