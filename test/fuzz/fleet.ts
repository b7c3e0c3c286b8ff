/**
 * A small generated fleet in a temporary DuckDB file, opened the way queries are: through
 * openQueryConnection (external access off), so fuzzed SQL meets real tables and real limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openQueryConnection } from '../../query/duckdb/read-only.js';
import { generateSample } from '../../samples/generate.js';

export interface Fleet {
  conn: DuckDBConnection;
  /** The fleet's last heartbeat minute: queries use it as now(), so ago(1d) finds rows. */
  now: Date;
  close(): void;
}

export async function openFleet(machines = 4): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-fuzz-'));
  const instance = await DuckDBInstance.create(join(dir, 'fleet.duckdb'));
  const writer = await instance.connect();
  const now = new Date('2024-06-01T12:00:00Z');
  await generateSample(writer, { machines, days: 1, seed: 11, end: now });
  writer.closeSync();
  const conn = await openQueryConnection(instance);
  // One core and bounded memory: the machine is shared, and a fuzzed cross join must fail, not swap.
  await conn.run('SET threads = 1');
  await conn.run("SET memory_limit = '1GB'");
  return {
    conn,
    now,
    close: () => {
      conn.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
