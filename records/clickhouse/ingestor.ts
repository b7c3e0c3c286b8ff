/**
 * The ingestion sink for the ClickHouse store, with the interface the server uses for DuckDB
 * (JsonTextIngestor). Each call validates the whole batch first (same validator and errors as
 * the DuckDB path), then sends it as ONE INSERT into the Distributed table with
 * insert_distributed_sync=1, and acknowledges only after ClickHouse answered OK.
 *
 * What ClickHouse 18.16 guarantees, precisely:
 * - An INSERT of up to max_insert_block_size (1,048,576) rows forms one block per shard; each
 *   shard writes its block as one data part, renamed into place atomically: a shard stores its
 *   part of the batch whole or not at all.
 * - With insert_distributed_sync=1 the INSERT returns OK only after every shard wrote its part.
 *   There is no transaction ACROSS shards: if one shard fails, the others may already have
 *   stored their rows. The batch is then refused (503, naming the shard), and a retry with the
 *   same batch id may store those rows again — at-least-once for a batch that was refused,
 *   exactly-once for one that was acknowledged.
 * - Durability: 18.16 has no fsync setting for data parts (only fsync_metadata for table
 *   definitions); an acknowledged part is in the OS page cache and survives the server process
 *   dying, but not a power loss before the OS writes it back. The embedded DuckDB path is
 *   stronger here (fsync on commit).
 * - Batch ids: recorded in `_ingest_batches` on the first node after the data INSERT is
 *   acknowledged; a batch id seen before is acknowledged again without storing. Not atomic with
 *   the data (a crash between the two lets one retry store the batch twice).
 */
import type { IngestOptions, IngestResult } from '../../contracts/ingest.js';
import { IngestError } from '../../contracts/ingest.js';
import type { JsonTextIngestor } from '../ingest/ingestor.js';
import { badBody, unknownTable } from '../ingest/problems.js';
import { compileJsonValidator, type JsonValidator } from '../ingest/validate-json.js';
import { recordTables } from '../../language/schema/tables.js';
import { ClickHouseError, databaseName, nodeName, request, type ClickHouseNode } from './client.js';
import { ensureClickHouseTables } from './ddl.js';
import { recordsToTsv } from './rows.js';

export interface ClickHouseIngestorOptions {
  workspaceId?: string;
  now?: () => Date;
  /** Days to keep records (default 30): whole day partitions older than this are dropped. */
  retentionDays?: number | Record<string, number>;
}

const batchesTable = '_ingest_batches';

export async function createClickHouseIngestor(nodes: readonly ClickHouseNode[], options: ClickHouseIngestorOptions = {}): Promise<JsonTextIngestor> {
  await ensureClickHouseTables(nodes);
  const first = nodes[0]!;
  await request(first, `CREATE TABLE IF NOT EXISTS ${databaseName}.${batchesTable} (id String, records Int64, receivedAt DateTime) ENGINE = MergeTree() ORDER BY id`);
  const now = options.now ?? (() => new Date());
  const validators = new Map<string, JsonValidator>(recordTables.map((t) => [t.name, compileJsonValidator(t)]));
  // ClickHouse merges parts itself: no checkpoints here
  const stats = { transactions: 0, records: 0, busyMs: 0, maintenanceMs: 0, checkpoints: 0, checkpointMs: 0, longestCheckpointMs: 0 };
  let queued = 0;
  let closed = false;

  async function seenBatch(id: string): Promise<boolean> {
    const answer = await request(first, `SELECT count() FROM ${batchesTable} WHERE id = '${id.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`);
    return Number(answer.trim()) > 0;
  }

  async function ingest(table: string, records: unknown, options: IngestOptions): Promise<IngestResult> {
    if (closed) throw new IngestError({ status: 503, code: 'Closed', message: 'The server is shutting down; retry against the restarted server.', retryAfterSeconds: 5 });
    const validator = validators.get(table);
    if (validator === undefined) throw unknownTable(table, [...validators.keys()]);
    const count = validator.validate(records, options.timeGeneratedField);
    if (count === 0) return { stored: 0, duplicateBatch: false };
    const rows = recordsToTsv(validator.table, records as Record<string, unknown>[], {
      tenantId: workspaceId,
      receivedAt: options.receivedAt ?? now(),
      ...(options.timeGeneratedField !== undefined ? { timeGeneratedField: options.timeGeneratedField } : {}),
    });
    queued += count;
    const started = performance.now();
    try {
      if (options.batchId !== undefined && (await seenBatch(options.batchId))) return { stored: 0, duplicateBatch: true };
      await insertRows(nodes, `"${table}"`, rows);
      if (options.batchId !== undefined) {
        const at = Math.floor((options.receivedAt ?? now()).getTime() / 1000);
        await insertRows([first], batchesTable, `${options.batchId.replace(/[\\\t\n]/g, ' ')}\t${count}\t${at}\n`);
      }
      stats.transactions++;
      stats.records += count;
      return { stored: count, duplicateBatch: false };
    } catch (error) {
      if (error instanceof IngestError) throw error;
      throw new IngestError({ status: 503, code: 'StorageUnavailable', message: `The ClickHouse store did not store the batch: ${(error as Error).message} Nothing of it was acknowledged; retry with the same batch id.`, retryAfterSeconds: 5 });
    } finally {
      queued -= count;
      stats.busyMs += performance.now() - started;
    }
  }

  const workspaceId = options.workspaceId ?? '';
  return {
    get queuedRecords() {
      return queued;
    },
    stats,
    ingestJson: (table, records, opts = {}) => ingest(table, records, opts),
    ingestJsonText: (table, body, opts = {}) => ingest(table, parseBody(body), opts),
    ingestArrow: () =>
      Promise.reject(new IngestError({ status: 400, code: 'UnsupportedFormat', message: 'Arrow bodies are not accepted by the ClickHouse store; send a JSON array of records.' })),
    applyRetention: (at) => dropExpiredPartitions(nodes, options.retentionDays ?? 30, at ?? now()),
    close: async () => {
      closed = true;
    },
  };
}

/** One INSERT into the Distributed table (sync: OK only once every shard stored its part); tries the next node if one is unreachable. */
async function insertRows(nodes: readonly ClickHouseNode[], table: string, tsv: string): Promise<void> {
  let lastError: Error | undefined;
  for (const node of nodes) {
    try {
      await request(node, `INSERT INTO ${databaseName}.${table} FORMAT TabSeparated`, { data: tsv, settings: { insert_distributed_sync: '1' } });
      return;
    } catch (error) {
      lastError = error as Error;
      if (!(error instanceof ClickHouseError && error.unreachable)) break;
    }
  }
  throw lastError ?? new Error('no ClickHouse node configured');
}

function parseBody(body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badBody(`The body is not valid JSON (${(error as Error).message}); send a JSON array of records.`);
  }
}

/** Retention by whole days: drops each node's local day partitions older than the cutoff. */
async function dropExpiredPartitions(nodes: readonly ClickHouseNode[], retention: number | Record<string, number>, at: Date): Promise<Record<string, number>> {
  const dropped: Record<string, number> = {};
  for (const table of recordTables) {
    const days = typeof retention === 'number' ? retention : (retention[table.name] ?? 30);
    const cutoffDay = Math.floor(at.getTime() / 86_400_000) - days;
    dropped[table.name] = 0;
    for (const node of nodes) {
      const answer = await request(node, `SELECT partition, sum(rows) FROM system.parts WHERE database = '${databaseName}' AND table = '${table.name}_local' AND active GROUP BY partition`);
      for (const line of answer.split('\n').filter(Boolean)) {
        const [partition, rows] = line.split('\t');
        if (Number(partition) >= cutoffDay) continue;
        await request(node, `ALTER TABLE ${databaseName}."${table.name}_local" DROP PARTITION ${Number(partition)}`);
        dropped[table.name]! += Number(rows);
      }
    }
  }
  return dropped;
}

export { nodeName };
