/**
 * Small JS-built tables (machines, catalogue, runs, event templates) loaded into temporary
 * DuckDB tables, from which the bulk record rows are generated inside the engine.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../language/sql/duckdb.js';

export type ScratchValue = string | number | bigint | boolean | null;
export type ScratchColumns = Readonly<Record<string, 'VARCHAR' | 'JSON' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN'>>;

const batchSize = 500;

export async function createScratchTable(
  conn: DuckDBConnection,
  name: string,
  columns: ScratchColumns,
  rows: readonly ScratchValue[][],
): Promise<void> {
  const defs = Object.entries(columns).map(([column, type]) => `${duckdb.quoteIdent(column)} ${type}`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${duckdb.quoteIdent(name)} (${defs.join(', ')})`);
  for (let i = 0; i < rows.length; i += batchSize) {
    const values = rows.slice(i, i + batchSize).map((row) => `(${row.map(literal).join(', ')})`);
    await conn.run(`INSERT INTO ${duckdb.quoteIdent(name)} VALUES ${values.join(',\n')}`);
  }
}

export async function dropScratchTables(conn: DuckDBConnection, names: readonly string[]): Promise<void> {
  for (const name of names) await conn.run(`DROP TABLE IF EXISTS temp.${duckdb.quoteIdent(name)}`);
}

function literal(value: ScratchValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return duckdb.stringLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return `${value.toString()}::BIGINT`;
  if (!Number.isFinite(value)) throw new Error(`cannot store ${value} in a scratch table`);
  return String(value);
}
