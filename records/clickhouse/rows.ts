/**
 * Validated JSON records → ClickHouse TabSeparated rows for the record tables' stored types
 * (see ddl.ts): datetimes as Int64 nanoseconds, bools as 0/1, dynamic as JSON text, missing
 * strings as "", other missing values as \N.
 */
import type { Column, TableSchema } from '../../language/schema/types.js';

const isoParts = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|([+-])(\d{2}):?(\d{2}))?$/;

/** An ISO 8601 datetime (already validated by ingestion) as nanoseconds since the epoch. */
export function datetimeTextToNanos(text: string): bigint {
  const m = isoParts.exec(text);
  if (!m) throw new Error(`'${text}' is not an ISO 8601 datetime`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  return (BigInt(ms) - BigInt(offsetMinutes) * 60_000n) * 1_000_000n + fraction;
}

export function escapeTsv(text: string): string {
  return text.replace(/[\\\t\n\r\0]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' })[c]!);
}

function cell(column: Column, value: unknown): string {
  if (value === null || value === undefined) return column.type === 'string' ? '' : '\\N';
  switch (column.type) {
    case 'string':
    case 'guid':
      return escapeTsv(String(value));
    case 'bool':
      return value === true || value === 'true' || value === 1 ? '1' : '0';
    case 'datetime':
      return datetimeTextToNanos(String(value)).toString();
    case 'dynamic':
      return escapeTsv(JSON.stringify(value));
    case 'int':
    case 'long':
    case 'timespan':
      return typeof value === 'number' ? String(Math.trunc(value)) : String(value);
    default:
      return String(value);
  }
}

export interface RowContext {
  tenantId: string;
  receivedAt: Date;
  timeGeneratedField?: string;
}

/** One TSV line per record, columns in the table's order. */
export function recordsToTsv(table: TableSchema, records: readonly Record<string, unknown>[], context: RowContext): string {
  const received = context.receivedAt.toISOString();
  const lines = records.map((record) =>
    table.columns
      .map((column) => {
        if (column.name === 'TenantId') return escapeTsv(context.tenantId);
        if (column.name === 'Type') return escapeTsv(table.name);
        if (column.name === 'TimeGenerated') {
          const given = (context.timeGeneratedField !== undefined ? record[context.timeGeneratedField] : undefined) ?? record.TimeGenerated;
          return cell(column, given ?? received);
        }
        return cell(column, record[column.name]);
      })
      .join('\t'),
  );
  return lines.length ? `${lines.join('\n')}\n` : '';
}
