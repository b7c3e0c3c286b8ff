/**
 * What the HTTP layer (server) asks of ingestion (records/ingest). Plain types only;
 * the implementation lives beside this file.
 */

/** Why a request was refused; the server maps `status` to the HTTP status. */
export interface IngestProblem {
  status: 400 | 413 | 429 | 503;
  /** Stable code, e.g. `UnknownTable`, `UnknownField`, `WrongType`, `MissingField`, `Overloaded`. */
  code: string;
  /** Names the problem and the fix, e.g. "record 3: field 'Computr' is not a column of Heartbeat (did you mean 'Computer'?)". */
  message: string;
  /** The record (0-based) and field at fault, when there is one. */
  recordIndex?: number;
  field?: string;
  /** For 429/503: seconds the sender should wait. */
  retryAfterSeconds?: number;
}

export class IngestError extends Error {
  constructor(readonly problem: IngestProblem) {
    super(problem.message);
    this.name = 'IngestError';
  }
}

export interface IngestOptions {
  /** A record field holding the time to store as TimeGenerated (the `time-generated-field` header). */
  timeGeneratedField?: string;
  /** A sender's batch id: a batch already stored is acknowledged again and not stored twice. */
  batchId?: string;
  /** The time to stamp TimeGenerated with when a record has none (defaults to now). */
  receivedAt?: Date;
}

export interface IngestResult {
  /** Records committed by this call (0 for a batch id seen before). */
  stored: number;
  duplicateBatch: boolean;
}

/**
 * One writer per database: every call is atomic (all records stored or none) and resolves only
 * after the records are committed to the database file. Rejects with IngestError.
 */
export interface Ingestor {
  ingestJson(table: string, records: unknown, options?: IngestOptions): Promise<IngestResult>;
  ingestArrow(table: string, ipcStream: Uint8Array, options?: IngestOptions): Promise<IngestResult>;
  /** Deletes records older than each table's retention; returns rows deleted per table. */
  applyRetention(now?: Date): Promise<Record<string, number>>;
  close(): Promise<void>;
}
