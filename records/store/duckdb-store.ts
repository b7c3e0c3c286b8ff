/** Opening the embedded DuckDB file: one instance per file per process, tables created on first use. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdb } from '../../language/sql/duckdb.js';
import { createRecordTablesSql } from './ddl.js';

export { defaultDatabasePath } from './database-path.js';

export interface OpenOptions {
  /** Create the record tables if they are missing (writers); readers leave the file as it is. */
  createTables?: boolean;
  readOnly?: boolean;
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<DuckDBInstance> {
  if (path !== ':memory:' && !options.readOnly) mkdirSync(dirname(path), { recursive: true });
  const settings: Record<string, string> = options.readOnly ? { access_mode: 'READ_ONLY' } : {};
  const instance = await DuckDBInstance.fromCache(path, settings);
  if (options.createTables) await ensureRecordTables(instance);
  return instance;
}

/** Creates the record tables that are missing, on a short-lived connection. */
export async function ensureRecordTables(instance: DuckDBInstance): Promise<void> {
  const conn = await instance.connect();
  try {
    await createRecordTables(conn);
  } finally {
    conn.closeSync();
  }
}

export async function createRecordTables(conn: DuckDBConnection): Promise<void> {
  for (const sql of createRecordTablesSql(duckdb)) await conn.run(sql);
}
