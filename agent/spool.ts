/**
 * The on-disk spool: every batch waits here, one file per batch, until the server has
 * acknowledged it. A batch's id is fixed when it is spooled and travels with every retry —
 * across agent restarts too — so the server can acknowledge a repeat without storing it twice.
 * Bounded: beyond `maxBatches` or `maxBytes` the oldest batches are dropped with a warning.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentTables, type AgentTable, type LogRecord } from './records.js';

export interface SpooledBatch {
  file: string;
  batchId: string;
  table: AgentTable;
  records: LogRecord[];
}

export interface SpoolOptions {
  maxBatches?: number;
  maxBytes?: number;
  warn?: (message: string) => void;
}

interface Entry {
  file: string;
  bytes: number;
}

// `<sequence>.<table>.<batchId>.json`: the sequence keeps the order across restarts.
const fileName = /^(\d{12})\.(\w+)\.([0-9a-f-]{36})\.json$/;

export class Spool {
  private readonly entries: Entry[] = [];
  private nextSequence = 0;
  private bytes = 0;
  private readonly maxBatches: number;
  private readonly maxBytes: number;
  private readonly warn: (message: string) => void;
  droppedBatches = 0;

  constructor(readonly dir: string, options: SpoolOptions = {}) {
    this.maxBatches = options.maxBatches ?? 5000;
    this.maxBytes = options.maxBytes ?? 200 * 1024 * 1024;
    this.warn = options.warn ?? ((message) => process.stderr.write(`${message}\n`));
    mkdirSync(dir, { recursive: true });
    this.load();
  }

  get batchCount(): number {
    return this.entries.length;
  }

  get byteCount(): number {
    return this.bytes;
  }

  /** Writes a new batch (atomically: a crash leaves the old spool or the new one, never half a file). */
  put(table: AgentTable, records: readonly LogRecord[]): string {
    const batchId = randomUUID();
    const file = `${String(this.nextSequence++).padStart(12, '0')}.${table}.${batchId}.json`;
    const text = JSON.stringify(records);
    const temporary = join(this.dir, `${file}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(this.dir, file));
    const bytes = Buffer.byteLength(text);
    this.entries.push({ file, bytes });
    this.bytes += bytes;
    this.enforceBound();
    return batchId;
  }

  /** The oldest batches not in `skip` (file names), up to `limit`. */
  oldest(limit: number, skip: ReadonlySet<string> = new Set()): SpooledBatch[] {
    const result: SpooledBatch[] = [];
    for (const entry of this.entries) {
      if (result.length >= limit) break;
      if (skip.has(entry.file)) continue;
      const batch = this.read(entry.file);
      if (batch) result.push(batch);
    }
    return result;
  }

  remove(file: string): void {
    if (this.forget(file)) rmSync(join(this.dir, file), { force: true });
  }

  private forget(file: string): boolean {
    const index = this.entries.findIndex((e) => e.file === file);
    if (index < 0) return false;
    const [entry] = this.entries.splice(index, 1);
    this.bytes -= entry?.bytes ?? 0;
    return true;
  }

  private read(file: string): SpooledBatch | undefined {
    const match = fileName.exec(file);
    if (!match) return undefined;
    try {
      const records = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as LogRecord[];
      return { file, batchId: match[3] ?? '', table: match[2] as AgentTable, records };
    } catch (error) {
      // A file we cannot read would block the spool forever: set it aside and say so.
      this.warn(`spool: cannot read ${join(this.dir, file)} (${error instanceof Error ? error.message : String(error)}); moved aside as ${file}.bad`);
      renameSync(join(this.dir, file), join(this.dir, `${file}.bad`));
      this.forget(file);
      return undefined;
    }
  }

  private load(): void {
    const names = readdirSync(this.dir).sort();
    for (const name of names) {
      if (name.endsWith('.tmp')) {
        rmSync(join(this.dir, name), { force: true }); // a write interrupted by a crash: never acknowledged, never complete
        continue;
      }
      const match = fileName.exec(name);
      if (!match || !agentTables.includes(match[2] as AgentTable)) continue;
      const bytes = statSync(join(this.dir, name)).size;
      this.entries.push({ file: name, bytes });
      this.bytes += bytes;
      this.nextSequence = Math.max(this.nextSequence, Number(match[1]) + 1);
    }
  }

  private enforceBound(): void {
    let dropped = 0;
    let droppedRecordsBytes = 0;
    while (this.entries.length > 1 && (this.entries.length > this.maxBatches || this.bytes > this.maxBytes)) {
      const oldest = this.entries[0];
      if (!oldest) break;
      droppedRecordsBytes += oldest.bytes;
      this.remove(oldest.file);
      dropped++;
    }
    if (dropped > 0) {
      this.droppedBatches += dropped;
      this.warn(`spool: full (${this.maxBatches} batches / ${this.maxBytes} bytes); dropped the ${dropped} oldest batch(es), ${droppedRecordsBytes} bytes, unsent. Is the server reachable?`);
    }
  }
}
