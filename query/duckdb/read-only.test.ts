import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueryConnection } from './read-only.js';

let dir: string;
let spool: string;
let instance: DuckDBInstance;
let writer: DuckDBConnection;
let query: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-read-only-'));
  spool = mkdtempSync(join(dir, 'spool-'));
  writeFileSync(join(spool, 'batch.ndjson'), '{"a":1}\n{"a":2}\n');
  writeFileSync(join(dir, 'outside.csv'), 'a\n1\n');
  instance = await DuckDBInstance.create(join(dir, 'upkeep.duckdb'));
  writer = await instance.connect();
  await writer.run('CREATE TABLE t (a BIGINT)');
  // Control: before the switch, this instance reads arbitrary files.
  await writer.run(`SELECT * FROM read_csv('${join(dir, 'outside.csv')}')`);
  query = await openQueryConnection(instance, { allowedDirectories: [spool + '/'] });
});
afterAll(() => {
  query.closeSync();
  writer.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(conn: DuckDBConnection, sql: string): Promise<string> {
  try {
    await conn.run(sql);
  } catch (error) {
    return String(error);
  }
  throw new Error(`expected to fail: ${sql}`);
}

describe('openQueryConnection', () => {
  it.each([
    ['COPY to a file', () => `COPY (SELECT 1) TO '${join(dir, 'x.csv')}'`],
    ['ATTACH a database file', () => `ATTACH '${join(dir, 'other.duckdb')}' AS other`],
    ['read a system file', () => "SELECT * FROM read_csv('/etc/passwd')"],
    ['read a file next to the database', () => `SELECT * FROM read_csv('${join(dir, 'outside.csv')}')`],
    ['list files', () => "SELECT * FROM glob('/etc/*')"],
    ['INSTALL an extension', () => 'INSTALL httpfs'],
    ['LOAD an external extension', () => 'LOAD httpfs'],
    ['switch access back on', () => 'SET enable_external_access = true'],
  ])('refuses to %s', async (_, sql) => {
    expect(await failure(query, sql())).toMatch(/Permission Error|disabled|Cannot enable external access/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
    expect(existsSync(join(dir, 'other.duckdb'))).toBe(false);
  });

  it('still answers queries over the database', async () => {
    await writer.run('INSERT INTO t VALUES (1), (2)');
    const reader = await query.runAndReadAll('SELECT sum(a)::BIGINT FROM t');
    expect(reader.getRows()).toEqual([[3n]]);
  });

  it('is instance-wide: writers keep inserting and checkpointing, but lose file access outside the allowed list', async () => {
    await writer.run('INSERT INTO t VALUES (10)');
    await writer.run('CHECKPOINT');
    expect(await failure(writer, `COPY t TO '${join(dir, 'export.csv')}'`)).toMatch(/Permission Error/);
    await writer.run(`INSERT INTO t SELECT a FROM read_json('${join(spool, 'batch.ndjson')}', columns = {a: 'BIGINT'})`);
    const reader = await writer.runAndReadAll('SELECT count(*)::INTEGER FROM t');
    expect(reader.getRows()).toEqual([[5]]);
  });

  it('can be opened again; directories cannot be added once access is off', async () => {
    const second = await openQueryConnection(instance, { allowedDirectories: [spool] });
    second.closeSync();
    await expect(openQueryConnection(instance, { allowedDirectories: ['/var'] })).rejects.toThrow(/can no longer be allowed/);
  });
});
