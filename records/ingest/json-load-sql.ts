/**
 * The fast path for JSON: validated records sit in a spool file as one JSON array and DuckDB
 * parses and inserts them itself with read_json (~2.8× the appenders for string-heavy rows,
 * docs/limits.md). The statement fills what the server owns: TimeGenerated when absent,
 * TenantId, Type, and "" for missing strings (Kusto strings are never null).
 */
import type { TableSchema } from '../../language/schema/types.js';
import { duckdb } from '../../language/sql/duckdb.js';
import { serverFilledColumns } from './validate-json.js';

export interface SpoolFile {
  file: string;
  /** Stamped as TimeGenerated on the file's records that carry no time. */
  receivedAt: Date;
}

export interface JsonLoadParameters {
  files: readonly SpoolFile[];
  tenantId: string;
  timeGeneratedField?: string;
  /** 'array' for request bodies; 'newline_delimited' for NDJSON. */
  format?: 'array' | 'newline_delimited';
}

/**
 * One statement for many spool files: DuckDB parses the files in parallel (a statement per file
 * was a third slower, measured). Each file keeps its own receive time through `filename`.
 */
export function jsonInsertSql(table: TableSchema, p: JsonLoadParameters): string {
  const q = duckdb.quoteIdent;
  const readColumns = table.columns.filter((c) => !serverFilledColumns.has(c.name)).map((c) => [c.name, duckdb.types[c.type]] as const);
  const extra = p.timeGeneratedField;
  if (extra !== undefined && !readColumns.some(([name]) => name === extra)) readColumns.push([extra, 'TIMESTAMP_NS']);
  const received = receivedSql(p.files);
  const select = table.columns.map((c) => {
    if (c.name === 'Type') return duckdb.stringLiteral(table.name);
    if (c.name === 'TenantId') return duckdb.stringLiteral(p.tenantId);
    if (c.name === 'TimeGenerated') {
      const sources = extra === undefined ? [q(c.name)] : [q(extra), q(c.name)];
      return `coalesce(${[...sources, received].join(', ')})`;
    }
    return c.type === 'string' ? `coalesce(${q(c.name)}, '')` : q(c.name);
  });
  const columnsStruct = readColumns.map(([name, type]) => `${duckdb.stringLiteral(name)}: '${type}'`).join(', ');
  const files = `[${p.files.map((f) => duckdb.stringLiteral(f.file)).join(', ')}]`;
  // auto_detect off: the declared types decide, so a first record's datetime style cannot
  // become a format the later ones must match.
  return `INSERT INTO ${q(table.name)} (${table.columns.map((c) => q(c.name)).join(', ')})
    SELECT ${select.join(', ')}
    FROM read_json(${files}, format = '${p.format ?? 'array'}', auto_detect = false, filename = '_upkeep_spool_file', columns = {${columnsStruct}})`;
}

function receivedSql(files: readonly SpoolFile[]): string {
  const literal = (d: Date) => duckdb.datetimeLiteral(BigInt(d.getTime()) * 1_000_000n);
  const first = files[0]!.receivedAt.getTime();
  if (files.every((f) => f.receivedAt.getTime() === first)) return literal(files[0]!.receivedAt);
  const whens = files.map((f) => `WHEN ${duckdb.stringLiteral(f.file)} THEN ${literal(f.receivedAt)}`);
  return `CASE _upkeep_spool_file ${whens.join(' ')} END`;
}
