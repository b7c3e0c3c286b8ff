/** Test helpers: an ingestor on a real DuckDB file in a fresh temp directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { openQueryConnection } from '../../query/duckdb/read-only.js';
import { createRecordTables } from '../store/duckdb-store.js';
import { IngestError, type IngestProblem } from '../../contracts/ingest.js';
import { createIngestor, ingestAllowedDirectories, type IngestorOptions, type JsonTextIngestor } from './ingestor.js';

export interface Harness {
  dir: string;
  dbFile: string;
  instance: DuckDBInstance;
  ingestor: JsonTextIngestor;
  /** A query connection (external access off, as the server runs it). */
  query: DuckDBConnection;
  count(sql: string): Promise<number>;
  close(): Promise<void>;
}

export async function openHarness(options: Partial<IngestorOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-ingest-'));
  const dbFile = join(dir, 'test.duckdb');
  const instance = await DuckDBInstance.create(dbFile);
  const setup = await instance.connect();
  await createRecordTables(setup);
  setup.closeSync();
  const ingestorOptions: IngestorOptions = { spoolDir: join(dir, 'spool'), workspaceId: 'ws-test', ...options };
  const ingestor = await createIngestor(instance, ingestorOptions);
  const query = await openQueryConnection(instance, { allowedDirectories: ingestAllowedDirectories(ingestorOptions) });
  return {
    dir,
    dbFile,
    instance,
    ingestor,
    query,
    async count(sql) {
      const reader = await query.runAndReadAll(sql);
      return Number(reader.getRows()[0]?.[0]);
    },
    async close() {
      await ingestor.close();
      query.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The problem a rejected ingest call carried (fails the test if it resolved or threw something else). */
export async function problemOf(call: Promise<unknown>): Promise<IngestProblem> {
  try {
    await call;
  } catch (error) {
    if (error instanceof IngestError) return error.problem;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

export function heartbeat(computer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Computer: computer, TimeGenerated: '2024-05-01T12:00:00Z', OSType: 'Linux', Version: '1.0', ...extra };
}
