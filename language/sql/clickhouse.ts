/**
 * The ClickHouse dialect (Debian's clickhouse-server 18.16). Datetimes are stored and computed
 * as Int64 nanoseconds since the Unix epoch: 18.16 has no DateTime64, its DateTime counts whole
 * seconds, and Kusto keeps 100-ns ticks. Every engine-side datetime operation here is integer
 * arithmetic already (bin, ago, differences), so epochNanos/fromEpochNanos are the identity; the
 * result reader formats the Int64 as Kusto text by the column's Kusto type.
 *
 * Every Kusto type maps to a Nullable ClickHouse type so `CAST(NULL AS …)` and outer rows work;
 * Kusto bools are UInt8 (18.16 has no Bool and no true/false literals).
 */
import { clickhouseConvert } from '../functions/clickhouse-scalars.js';
import { clickhouseJoinSql } from './clickhouse-join.js';
import type { ScalarType } from '../schema/types.js';
import type { Dialect } from './dialect.js';

const int64 = (sql: string): string => `toInt64(${sql})`;

/**
 * Inline rows for 18.16: UNION ALL branches run in parallel (rows come back in any order), so
 * each row carries its number and the union is sorted by it; every value is cast to its
 * column's type (branches of differing types break later functions) and materialized, because
 * constant String columns crash the server when such rows are joined.
 */
function inlineRows(rows: readonly string[][], names: readonly string[], kinds: readonly ScalarType[]): string {
  const cell = (v: string, i: number): string => (kinds[i] === 'string' ? `materialize(ifNull(${v}, ''))` : `materialize(CAST(${v} AS ${types[kinds[i]!]}))`);
  const selects = rows.map((row, r) => `SELECT ${r} AS _row, ${row.map((v, i) => `${cell(v, i)} AS ${names[i]}`).join(', ')}`);
  return `SELECT ${names.join(', ')} FROM (${selects.join(' UNION ALL ')}) ORDER BY _row`;
}

const quoteIdent = (name: string): string => `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

const types: Record<ScalarType, string> = {
  bool: 'Nullable(UInt8)',
  int: 'Nullable(Int32)',
  long: 'Nullable(Int64)',
  real: 'Nullable(Float64)',
  decimal: 'Nullable(Float64)',
  string: 'Nullable(String)',
  datetime: 'Nullable(Int64)',
  timespan: 'Nullable(Int64)',
  guid: 'Nullable(String)',
  dynamic: 'Nullable(String)',
};

export const clickhouse: Dialect = {
  name: 'clickhouse',
  quoteIdent,
  stringLiteral: (value) => {
    // ClickHouse string literals interpret backslash escapes: escape both the quote and the backslash.
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\u0000', '')}'`;
  },
  types,
  datetimeLiteral: (ns) => int64(ns.toString()),
  timespanLiteral: (ns) => int64(ns.toString()),
  epochNanos: (sql) => sql,
  fromEpochNanos: (sql) => sql,
  supportsStarExclude: false,
  forms: {
    boolLiteral: (value) => (value ? '1' : '0'),
    // intDiv throws on zero; Kusto gives null
    intDiv: (a, b) => `if(ifNull((${b}) = 0, 1), NULL, intDiv(${a}, ifNull(nullIf(${b}, 0), 1)))`,
    distinctFrom: (a, b) => `ifNull((${a}) != (${b}), isNull(${a}) != isNull(${b}))`,
    definite: (predicate, negated) => (negated ? `(NOT ifNull(${predicate}, 0))` : `ifNull(${predicate}, 0)`),
    regexMatch: (text, pattern) => `match(${text}, ${pattern})`,
    containsText: (text, needle) => `(position(${text}, ${needle}) > 0)`,
    startsWith: (text, prefix) => `startsWith(${text}, ${prefix})`,
    endsWith: (text, suffix) => `endsWith(${text}, ${suffix})`,
    lower: (text) => `lowerUTF8(${text})`,
    tryCast: (sql, type) => `CAST(${sql} AS ${type})`,
    integerRange: (count, alias) => `(SELECT toInt64(number) AS _i FROM numbers(toUInt64(${count}))) AS ${alias}`,
    noRows: 'WHERE 0',
    inlineRows,
    convert: (arg, type) => clickhouseConvert(arg, type),
    argExtreme: (which, value, by) => (which === 'max' ? `argMax(${value}, ${by})` : `argMin(${value}, ${by})`),
    // no QUALIFY, dynamic access, per-row dynamic arrays, `in~` subqueries, regex escaping,
    // unnesting or ordered list aggregation on 18.16: refused with E402 where a query needs them
  },
  unsupported: {
    'mv-expand': 'ClickHouse 18.16 has no JSON array type to unnest',
    'make-series': 'it needs ordered list aggregation over a generated grid',
  },
  scansTablesInline: true,
  pickRowWithLimitBy: true,
  joinSql: (parts) => clickhouseJoinSql(parts, quoteIdent, (t) => types[t]),
};

/** Settings every query on the ClickHouse store runs with. */
export const clickhouseQuerySettings: Readonly<Record<string, string>> = {
  // outer joins give nulls for missing rows, as SQL and Kusto do (default would be 0 / "")
  join_use_nulls: '1',
  // `in (subquery)` and joins over Distributed tables: run the subquery once, ship its result to the shards
  distributed_product_mode: 'global',
  // no silent partial answers when a shard is down
  skip_unavailable_shards: '0',
};
