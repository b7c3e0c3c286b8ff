/**
 * The writer for the embedded DuckDB file (the Ingestor of contract.ts).
 *
 * Order the server must follow, because external file access is instance-wide and permanent:
 *   1. `const ingestor = await createIngestor(instance, { spoolDir })` — creates the spool;
 *   2. `openQueryConnection(instance, { allowedDirectories: ingestAllowedDirectories(options) })`
 *      for the first query connection — this switches file access off for every connection but
 *      keeps the spool readable, so the writer's read_json keeps working.
 * Opening a query connection first without the spool directory leaves JSON ingestion failing
 * with 503 (Arrow ingestion still works).
 */
import { resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { recordTables } from '../../language/schema/tables.js';
import type { TableSchema } from '../../language/schema/types.js';
import { loadArrowTable, prepareArrow } from './arrow-ingest.js';
import { createBatchesTable } from './batches.js';
import { Checkpointer, type CheckpointPolicy, type CheckpointStats } from './checkpoints.js';
import type { IngestOptions, IngestResult, Ingestor } from '../../contracts/ingest.js';
import { GroupWriter, type WriterStats } from './group-writer.js';
import { JsonWorkers } from './json-workers.js';
import { jsonInsertSql } from './json-load-sql.js';
import { badBody, invalidUtf8, unknownTable } from './problems.js';
import { firstInvalidUtf8Byte } from './json-limits.js';
import { applyRetention, retentionPlan } from './retention.js';
import { Spool } from './spool.js';
import { compileJsonValidator, type JsonValidator } from './validate-json.js';
import { IngestError } from '../../contracts/ingest.js';

export interface IngestorOptions {
  /** Directory for temporary JSON files read by DuckDB; see ingestAllowedDirectories. */
  spoolDir: string;
  /** Records waiting to be written beyond which requests get 429 Overloaded (default 200,000). */
  maxQueuedRecords?: number;
  /** Days to keep records, one figure or per table (default 30; tables not named keep 30). */
  retentionDays?: number | Record<string, number>;
  now?: () => Date;
  /** Stored as every record's TenantId (the workspace id). */
  workspaceId?: string;
  /** Worker threads parsing JSON text bodies (default: one fewer than the cores, 1–2; 0 parses on the main thread). */
  jsonWorkers?: number;
  /** Records grouped into one transaction at most (default 50,000). */
  maxGroupRecords?: number;
  checkpoints?: CheckpointPolicy;
}

/** An Ingestor that can also take a JSON body as text, storing the sender's bytes without re-serialising them. */
export interface JsonTextIngestor extends Ingestor {
  ingestJsonText(table: string, body: string | Uint8Array, options?: IngestOptions): Promise<IngestResult>;
  /** Records admitted and not yet committed. */
  readonly queuedRecords: number;
  readonly stats: Readonly<IngestorStats>;
}

export type IngestorStats = WriterStats & CheckpointStats;

/** The directories query connections must allow (pass to the first openQueryConnection of the instance). */
export function ingestAllowedDirectories(options: Pick<IngestorOptions, 'spoolDir'>): string[] {
  return [resolve(options.spoolDir)];
}

export async function createIngestor(instance: DuckDBInstance, options: IngestorOptions): Promise<JsonTextIngestor> {
  const now = options.now ?? (() => new Date());
  const retention = retentionPlan(options.retentionDays);
  const spool = new Spool(options.spoolDir);
  const conn = await instance.connect();
  await createBatchesTable(conn);
  const checkpointer = await Checkpointer.create(instance, conn, options.checkpoints ?? {});
  const writer = new GroupWriter(conn, {
    maxQueuedRecords: options.maxQueuedRecords ?? 200_000,
    maxGroupRecords: options.maxGroupRecords ?? 50_000,
    onIdle: checkpointer.whenIdle,
    afterCommit: checkpointer.afterCommit,
    beforeAppend: () => checkpointer.settled(),
  });
  const validators = new Map<string, JsonValidator>(recordTables.map((t) => [t.name, compileJsonValidator(t)]));
  const tenantId = options.workspaceId ?? '';
  const workers = options.jsonWorkers === 0 ? undefined : new JsonWorkers(options.jsonWorkers);

  function validatorFor(name: string, options: IngestOptions): JsonValidator {
    const validator = validators.get(name);
    if (validator === undefined) throw unknownTable(name, [...validators.keys()]);
    checkTimeGeneratedField(validator.table, options.timeGeneratedField);
    return validator;
  }

  async function ingestParsed(table: string, records: unknown, text: string | Uint8Array | undefined, options: IngestOptions): Promise<IngestResult> {
    const validator = validatorFor(table, options);
    const release = writer.admit(Array.isArray(records) ? records.length : 0);
    try {
      const count = validator.validate(records, options.timeGeneratedField);
      if (count === 0) {
        release();
        return { stored: 0, duplicateBatch: false };
      }
      const file = await spool.write(text ?? JSON.stringify(records));
      return await queueJson(validator, file, count, options, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Queues a validated, spooled body; the admission `release` is freed when the job settles. */
  function queueJson(validator: JsonValidator, file: string, count: number, options: IngestOptions, release: () => void): Promise<IngestResult> {
    const receivedAt = options.receivedAt ?? now();
    const timeGeneratedField = options.timeGeneratedField;
    return writer.write({
      records: count,
      batchId: options.batchId,
      receivedAt,
      loadKey: `json\u0000${validator.table.name}\u0000${timeGeneratedField ?? ''}`,
      spool: { file, receivedAt },
      insertSql: (jobs) => jsonInsertSql(validator.table, { files: jobs.map((j) => j.spool!), tenantId, timeGeneratedField }),
      release: () => {
        release();
        spool.remove(file);
      },
    });
  }

  /** Parse, validate and spool in a worker thread; admission once the record count is known. */
  async function ingestTextInWorker(pool: JsonWorkers, table: string, body: string | Uint8Array, options: IngestOptions): Promise<IngestResult> {
    const validator = validatorFor(table, options);
    const file = spool.newFile();
    let count: number;
    let release: () => void;
    try {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      count = await pool.parse({ table, body: bytes, timeGeneratedField: options.timeGeneratedField, file });
      if (count === 0) return { stored: 0, duplicateBatch: false };
      release = writer.admit(count);
    } catch (error) {
      spool.remove(file);
      throw error;
    }
    return queueJson(validator, file, count, options, release);
  }

  return {
    get queuedRecords() {
      return writer.queuedRecords;
    },
    get stats() {
      return { ...writer.stats, ...checkpointer.stats };
    },
    ingestJson: (table, records, options = {}) => ingestParsed(table, records, undefined, options),
    async ingestJsonText(table, body, options = {}) {
      if (workers) return ingestTextInWorker(workers, table, body, options);
      validatorFor(table, options);
      return ingestParsed(table, parseBody(body), body, options);
    },
    async ingestArrow(table, ipcStream, options = {}) {
      const schema = validatorFor(table, options).table;
      const prepared = prepareArrow(schema, ipcStream, options.timeGeneratedField);
      const release = writer.admit(prepared.rows);
      if (prepared.rows === 0) {
        release();
        return { stored: 0, duplicateBatch: false };
      }
      const receivedAt = options.receivedAt ?? now();
      return writer.write({
        records: prepared.rows,
        batchId: options.batchId,
        receivedAt,
        insert: (c) => loadArrowTable(c, schema, prepared, { receivedAt, tenantId }),
        release,
      });
    },
    applyRetention: (at) => writer.exclusive((c) => applyRetention(c, retention, at ?? now())),
    async close() {
      await writer.close();
      await checkpointer.close();
      await workers?.close();
      await writer.exclusive((c) => c.run('CHECKPOINT')).catch(() => undefined);
      conn.closeSync();
    },
  };
}

function parseBody(body: string | Uint8Array): unknown {
  const invalid = typeof body === 'string' ? undefined : firstInvalidUtf8Byte(body);
  if (invalid !== undefined) throw invalidUtf8(invalid);
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badBody(`The body is not valid JSON (${(error as Error).message}); send a JSON array of records.`);
  }
}

function checkTimeGeneratedField(table: TableSchema, field: string | undefined): void {
  if (field === undefined) return;
  const column = table.columns.find((c) => c.name === field);
  if (column !== undefined && column.type !== 'datetime') {
    throw new IngestError({
      status: 400,
      code: 'InvalidTimeGeneratedField',
      message: `time-generated-field '${field}' is a ${column.type} column of ${table.name}; name a field holding datetimes.`,
      field,
    });
  }
}
