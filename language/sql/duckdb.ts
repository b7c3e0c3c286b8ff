/** The DuckDB dialect. Datetimes are TIMESTAMP_NS (Kusto's 100-ns ticks need sub-microsecond storage). */
import type { Dialect } from './dialect.js';

export const duckdb: Dialect = {
  name: 'duckdb',
  quoteIdent: (name) => `"${name.replaceAll('"', '""')}"`,
  stringLiteral: (value) => {
    // E'' would interpret backslashes; a plain literal only needs quotes doubled. NUL cannot be stored.
    return `'${value.replaceAll("'", "''").replaceAll('\u0000', '')}'`;
  },
  types: {
    bool: 'BOOLEAN',
    int: 'INTEGER',
    long: 'BIGINT',
    real: 'DOUBLE',
    decimal: 'DECIMAL(38,18)',
    string: 'VARCHAR',
    datetime: 'TIMESTAMP_NS',
    timespan: 'BIGINT',
    guid: 'UUID',
    dynamic: 'JSON',
  },
  datetimeLiteral: (ns) => `make_timestamp_ns(${ns.toString()}::BIGINT)`,
  timespanLiteral: (ns) => `${ns.toString()}::BIGINT`,
  epochNanos: (sql) => `epoch_ns(${sql})`,
  fromEpochNanos: (sql) => `make_timestamp_ns(${sql})`,
  supportsQualify: true,
  supportsStarExclude: true,
  forms: {
    boolLiteral: (value) => (value ? 'true' : 'false'),
    intDiv: (a, b) => `(${a} // ${b})`,
    distinctFrom: (a, b) => `(${a} IS DISTINCT FROM ${b})`,
    definite: (predicate, negated) => (negated ? `((${predicate}) IS NOT TRUE)` : `((${predicate}) IS TRUE)`),
    regexMatch: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
    containsText: (text, needle) => `contains(${text}, ${needle})`,
    startsWith: (text, prefix) => `starts_with(${text}, ${prefix})`,
    endsWith: (text, suffix) => `suffix(${text}, ${suffix})`,
    lower: (text) => `lower(${text})`,
    ilike: (text, pattern) => `(${text} ILIKE ${pattern})`,
    tryCast: (sql, type) => `TRY_CAST(${sql} AS ${type})`,
    integerRange: (count, alias) => `range(0, ${count}) AS ${alias}(_i)`,
    noRows: 'WHERE false',
  },
  unsupported: {},
  scansTablesInline: false,
  pickRowWithLimitBy: false,
};
