/** Test helpers: a fresh in-memory database with the record tables, and one-value queries. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createRecordTables } from '../records/store/duckdb-store.js';

export async function emptyDatabase(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await createRecordTables(conn);
  return conn;
}

export async function scalar(conn: DuckDBConnection, sql: string): Promise<unknown> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRows()[0]?.[0];
}

export async function count(conn: DuckDBConnection, sql: string): Promise<number> {
  return Number(await scalar(conn, sql));
}

export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}
