/**
 * What SQL could do if it ever got past the compiler: the query path (runSql on a connection
 * from openQueryConnection, on a real database file) refuses to write, attach, load, read files
 * or change settings. Each statement is tried, then the database and the directory are checked
 * to be exactly as they were.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../language/syntax/diagnostics.js';
import { openQueryConnection } from '../../query/duckdb/read-only.js';
import { runSql } from '../../query/duckdb/run.js';
import { createRecordTables } from '../../records/store/duckdb-store.js';

let dir: string;
let instance: DuckDBInstance;
let writer: DuckDBConnection;
let query: DuckDBConnection;

async function heartbeatRows(): Promise<number> {
  const reader = await writer.runAndReadAll('SELECT count(*)::INTEGER FROM Heartbeat');
  return Number(reader.getRows()[0]![0]);
}

async function tableNames(): Promise<string[]> {
  const reader = await writer.runAndReadAll("SELECT table_catalog || '.' || table_name FROM information_schema.tables ORDER BY 1");
  return reader.getRows().map((r) => String(r[0]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-query-conn-'));
  writeFileSync(join(dir, 'outside.csv'), 'a\n1\n');
  instance = await DuckDBInstance.create(join(dir, 'upkeep.duckdb'));
  writer = await instance.connect();
  await createRecordTables(writer);
  await writer.run("INSERT INTO Heartbeat (TimeGenerated, Computer) VALUES (TIMESTAMP_NS '2024-06-01 12:00:00', 'web1')");
  query = await openQueryConnection(instance);
});
afterAll(() => {
  query.closeSync();
  writer.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string) => join(dir, name);

/** [what, SQL]: every one must be refused on the query path. */
const attempts: [string, () => string][] = [
  ['COPY a query to a file', () => `COPY (SELECT 1) TO '${file('copy.csv')}'`],
  ['COPY a table to a file', () => `COPY Heartbeat TO '${file('heartbeat.parquet')}' (FORMAT parquet)`],
  ['EXPORT DATABASE', () => `EXPORT DATABASE '${file('export')}'`],
  ['ATTACH a database file', () => `ATTACH '${file('other.duckdb')}' AS other`],
  ['ATTACH an in-memory database', () => "ATTACH ':memory:' AS scratch"],
  ['DETACH', () => 'DETACH upkeep'],
  ['INSTALL an extension', () => 'INSTALL httpfs'],
  ['LOAD an extension', () => 'LOAD httpfs'],
  ['read_csv of /etc/passwd', () => "SELECT * FROM read_csv('/etc/passwd')"],
  ['read_text of /etc/passwd', () => "SELECT * FROM read_text('/etc/passwd')"],
  ['read_blob of a file beside the database', () => `SELECT * FROM read_blob('${file('outside.csv')}')`],
  ['a file as a table (replacement scan)', () => `SELECT * FROM '${file('outside.csv')}'`],
  ['glob', () => "SELECT * FROM glob('/etc/*')"],
  ['read_json over http', () => "SELECT * FROM read_json('http://127.0.0.1:9/x.json')"],
  ['CREATE TABLE', () => 'CREATE TABLE stolen AS SELECT * FROM Heartbeat'],
  ['CREATE VIEW', () => 'CREATE VIEW v AS SELECT 1'],
  ['CREATE MACRO', () => 'CREATE MACRO m(x) AS x'],
  ['INSERT', () => "INSERT INTO Heartbeat (Computer) VALUES ('forged')"],
  ['UPDATE', () => "UPDATE Heartbeat SET Computer = 'x'"],
  ['DELETE', () => 'DELETE FROM Heartbeat'],
  ['DROP TABLE', () => 'DROP TABLE Heartbeat'],
  ['ALTER TABLE', () => 'ALTER TABLE Heartbeat RENAME TO Gone'],
  ['a write in a CTE', () => "WITH x AS (SELECT 1) INSERT INTO Heartbeat (Computer) SELECT 'cte' FROM x"],
  ['PRAGMA', () => 'PRAGMA enable_profiling'],
  ['SET external access back on', () => 'SET enable_external_access = true'],
  ['SET a directory allowed', () => `SET allowed_directories = ['/']`],
  ['RESET', () => 'RESET enable_external_access'],
  ['CALL', () => 'CALL pragma_version()'],
  ['CHECKPOINT', () => 'CHECKPOINT'],
  ['VACUUM', () => 'VACUUM'],
  ['BEGIN a transaction', () => 'BEGIN TRANSACTION'],
  ['a SELECT then a DROP', () => 'SELECT 1 AS x; DROP TABLE Heartbeat'],
  ['a DROP then a SELECT', () => 'DROP TABLE Heartbeat; SELECT 1 AS x'],
  ['a SELECT then a COPY', () => `SELECT 1 AS x; COPY (SELECT 1) TO '${file('second.csv')}'`],
];

describe('the query connection and runSql refuse everything but reading the database', () => {
  it.each(attempts)('refuses: %s', async (_what, sql) => {
    const rowsBefore = await heartbeatRows();
    const tablesBefore = await tableNames();
    const error = await runSql(query, sql(), [{ name: 'x', type: 'long' }], { maxRows: 10, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error, sql()).toBeInstanceOf(QueryError);
    expect(await heartbeatRows()).toBe(rowsBefore);
    expect(await tableNames()).toEqual(tablesBefore);
    expect(readdirSync(dir).sort()).toEqual(['outside.csv', 'upkeep.duckdb', ...readdirSync(dir).filter((f) => f.startsWith('upkeep.duckdb.'))].sort());
  });

  it.each([
    ['COPY to a file', () => `COPY (SELECT 1) TO '${file('raw.csv')}'`],
    ['ATTACH a file', () => `ATTACH '${file('raw.duckdb')}' AS raw`],
    ['read /etc/passwd', () => "SELECT * FROM read_csv('/etc/passwd')"],
    ['INSTALL', () => 'INSTALL httpfs'],
    ['LOAD', () => 'LOAD httpfs'],
    ['switch access back on', () => 'SET enable_external_access = true'],
  ])('even without runSql, the connection itself cannot %s', async (_what, sql) => {
    await expect(query.run(sql())).rejects.toThrow(/Permission Error|disabled|Cannot enable external access|Cannot change/);
    expect(existsSync(file('raw.csv'))).toBe(false);
    expect(existsSync(file('raw.duckdb'))).toBe(false);
  });

  it('still reads the database', async () => {
    const { rows } = await runSql(query, 'SELECT count(*) AS x FROM Heartbeat', [{ name: 'x', type: 'long' }]);
    expect(rows).toEqual([[1]]);
  });
});
