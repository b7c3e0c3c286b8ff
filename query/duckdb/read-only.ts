/**
 * Connections for running queries that cannot reach the file system.
 *
 * DuckDB has no per-connection sandbox: `enable_external_access = false` is instance-wide and
 * cannot be switched back on while the database is open. What it does, measured on 1.5.6:
 * - blocks COPY … TO files, ATTACH of database files, every file reader (read_csv, read_json,
 *   read_text, read_blob, glob), http(s) URLs, INSTALL and LOAD of external extensions;
 * - does NOT block writes to the open database itself (INSERT/UPDATE/DROP still work), nor
 *   ATTACH ':memory:', nor LOAD of built-in extensions (json), nor spilling to the temp directory;
 *   runSql closes the first gap by running only single SELECT statements;
 * - applies to *every* connection of the instance, writers included: after it, a writer can no
 *   longer bulk-load with `read_json('file.ndjson')` or export with COPY — unless the directory
 *   was listed in `allowed_directories` *before* access was switched off (that list cannot
 *   change afterwards). Listed directories are open to query connections too.
 * - `lock_configuration = true` would also freeze every connection's settings (a writer's
 *   `SET threads`, a session's TimeZone), so it is not used.
 * A second instance opened READ_ONLY on the same file in the same process is no alternative:
 * DuckDB allows it but that instance keeps reading the file as it was when opened (it does not
 * see the writer's later commits), and across processes DuckDB allows one writer or many readers,
 * never both.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from '../../language/sql/duckdb.js';

export interface QueryConnectionOptions {
  /**
   * Directories that stay reachable once external access is off (e.g. an ingest spool read by
   * `read_json`). Only takes effect on the first call for an instance.
   */
  allowedDirectories?: string[];
}

/** A new connection on `instance`, after switching the instance's external access off (idempotent). */
export async function openQueryConnection(
  instance: DuckDBInstance,
  options: QueryConnectionOptions = {},
): Promise<DuckDBConnection> {
  const conn = await instance.connect();
  try {
    if (await externalAccessEnabled(conn)) {
      const directories = options.allowedDirectories ?? [];
      if (directories.length > 0) {
        await conn.run(`SET allowed_directories = [${directories.map(duckdb.stringLiteral).join(', ')}]`);
      }
      await conn.run('SET enable_external_access = false');
    } else {
      await requireAllowed(conn, options.allowedDirectories ?? []);
    }
    return conn;
  } catch (error) {
    conn.closeSync();
    throw error;
  }
}

async function externalAccessEnabled(conn: DuckDBConnection): Promise<boolean> {
  const reader = await conn.runAndReadAll("SELECT current_setting('enable_external_access')::BOOLEAN");
  return reader.getRows()[0]?.[0] === true;
}

/** Directories asked for after access went off can no longer be added: say so instead of failing later. */
async function requireAllowed(conn: DuckDBConnection, directories: readonly string[]): Promise<void> {
  if (directories.length === 0) return;
  const reader = await conn.runAndReadAll("SELECT current_setting('allowed_directories')::VARCHAR");
  const allowed = String(reader.getRows()[0]?.[0] ?? '');
  const missing = directories.filter((dir) => !allowed.includes(dir));
  if (missing.length > 0) {
    throw new Error(
      `External access is already off for this database, so ${missing.join(', ')} can no longer be allowed. ` +
        'Pass allowedDirectories on the first openQueryConnection call for the instance.',
    );
  }
}
