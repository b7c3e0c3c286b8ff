/**
 * Collects records per table into batches and writes each batch to the spool. The agent
 * flushes after every heartbeat and assessment; the fleet simulator lets records from many
 * virtual agents share one batch, flushed when it is full or every `flushIntervalMs`.
 */
import type { AgentTable, LogRecord, RecordSink } from './records.js';
import type { Spool } from './spool.js';

export interface BatcherOptions {
  /** Records per batch (one HTTP request). */
  maxRecords?: number;
  /** Flush whatever is buffered this often (real time); 0 = only on `flush()` or when full. */
  flushIntervalMs?: number;
  /** Called after batches were spooled (wakes the sender). */
  onSpooled?: () => void;
}

export class Batcher implements RecordSink {
  private readonly buffers = new Map<AgentTable, LogRecord[]>();
  private readonly timer: NodeJS.Timeout | undefined;
  recordsAdded = 0;

  constructor(private readonly spool: Spool, private readonly options: BatcherOptions = {}) {
    const interval = options.flushIntervalMs ?? 0;
    if (interval > 0) {
      this.timer = setInterval(() => this.flush(), interval);
      this.timer.unref();
    }
  }

  add(table: AgentTable, records: readonly LogRecord[]): void {
    if (records.length === 0) return;
    this.recordsAdded += records.length;
    const max = this.options.maxRecords ?? 1000;
    let buffer = this.buffers.get(table) ?? [];
    let spooled = false;
    for (const record of records) {
      buffer.push(record);
      if (buffer.length >= max) {
        this.spool.put(table, buffer);
        buffer = [];
        spooled = true;
      }
    }
    this.buffers.set(table, buffer);
    if (spooled) this.options.onSpooled?.();
  }

  /** Spools every non-empty buffer. */
  flush(): void {
    let spooled = false;
    for (const [table, buffer] of this.buffers) {
      if (buffer.length === 0) continue;
      this.spool.put(table, buffer);
      this.buffers.set(table, []);
      spooled = true;
    }
    if (spooled) this.options.onSpooled?.();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }
}
