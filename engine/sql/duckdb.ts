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
};
