/** DDL for the record tables, from the one catalogue in language/schema/tables.ts. */
import type { Dialect } from '../../language/sql/dialect.js';
import type { TableSchema } from '../../language/schema/types.js';
import { recordTables } from '../../language/schema/tables.js';

/**
 * Kusto strings are never null (a missing string is ""), so string columns default to ''.
 * Other types keep SQL NULL as Kusto's typed null.
 */
export function createTableSql(dialect: Dialect, table: TableSchema): string {
  const columns = table.columns.map((c) => {
    const base = `${dialect.quoteIdent(c.name)} ${dialect.types[c.type]}`;
    return c.type === 'string' ? `${base} NOT NULL DEFAULT ''` : base;
  });
  return `CREATE TABLE IF NOT EXISTS ${dialect.quoteIdent(table.name)} (\n  ${columns.join(',\n  ')}\n)`;
}

export function createRecordTablesSql(dialect: Dialect): string[] {
  return recordTables.map((t) => createTableSql(dialect, t));
}
