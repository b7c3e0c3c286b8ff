/** What `upkeep sample` does (its flags are in sample-command.ts). */
import { existsSync } from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { generateSample, type ProgressListener, type SampleSummary } from '../samples/generate.js';
import { recordTables } from '../language/schema/tables.js';
import { duckdb } from '../language/sql/duckdb.js';
import { openDatabase } from '../records/store/duckdb-store.js';

export interface SampleFlags {
  machines: number;
  days: number;
  seed: number;
  db: string;
  end?: Date;
  ifMissing?: boolean;
  replace?: boolean;
}

export async function sample(flags: SampleFlags, command: Command): Promise<void> {
  const usage = (message: string): never => command.error(`upkeep sample: ${message}`, { exitCode: 2, code: 'upkeep.usage' });
  if (flags.ifMissing && flags.replace) usage('--if-missing and --replace contradict each other; give one of them.');
  if (flags.ifMissing && existsSync(flags.db) && (await countRecords(flags.db)) > 0) {
    process.stdout.write(`${flags.db} already holds records; nothing to do (use --replace to regenerate).\n`);
    return;
  }
  const conn = await (await openForWriting(flags.db)).connect();
  try {
    const existing = await countRows(conn);
    if (existing > 0 && !flags.replace) {
      usage(`${flags.db} already holds ${existing.toLocaleString('en-US')} record rows. Add --replace to empty the record tables and write the sample, or --db to choose another file.`);
    }
    if (existing > 0) await emptyRecordTables(conn);
    const end = flags.end ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const summary = await withProgress((onProgress) => generateSample(conn, { machines: flags.machines, days: flags.days, seed: flags.seed, end }, onProgress));
    await conn.run('CHECKPOINT');
    process.stdout.write(`${describe(summary, flags)}\n`);
  } finally {
    conn.closeSync();
  }
}

/** DuckDB allows one writing process per file: say so plainly instead of DuckDB's lock error. */
async function openForWriting(path: string): Promise<DuckDBInstance> {
  try {
    return await openDatabase(path, { createTables: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) throw new Error(`cannot write ${path}: another process has it open. Stop that process, or choose another file with --db.`);
    throw error;
  }
}

async function countRecords(path: string): Promise<number> {
  const conn = await (await openForWriting(path)).connect();
  try {
    return await countRows(conn);
  } finally {
    conn.closeSync();
  }
}

async function countRows(conn: DuckDBConnection): Promise<number> {
  const counts = recordTables.map((t) => `(SELECT count(*) FROM ${duckdb.quoteIdent(t.name)})`).join(' + ');
  const reader = await conn.runAndReadAll(`SELECT (${counts})::BIGINT`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

async function emptyRecordTables(conn: DuckDBConnection): Promise<void> {
  for (const t of recordTables) await conn.run(`DELETE FROM ${duckdb.quoteIdent(t.name)}`);
}

/** A progress bar on a terminal; nothing in between when the output is a file or a pipe. */
async function withProgress<T>(work: (onProgress?: ProgressListener) => Promise<T>): Promise<T> {
  if (!process.stdout.isTTY) return work();
  const bar = new cliProgress.SingleBar(
    { format: 'sample {phase} [{bar}] {percentage}% | {value}/{total} steps', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { phase: 'machines'.padEnd(11) });
  try {
    return await work((done, total, phase) => {
      bar.setTotal(total);
      bar.update(done, { phase: phase.padEnd(11) });
    });
  } finally {
    bar.stop();
  }
}

function describe(summary: SampleSummary, flags: SampleFlags): string {
  const counts = Object.entries(summary.rows).map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`);
  const seconds = (summary.elapsedMs / 1000).toFixed(1);
  return `Wrote a sample fleet of ${summary.machines} machines, ${flags.days} day(s) up to ${summary.end.toISOString()} (seed ${flags.seed}), into ${flags.db} in ${seconds} s: ${counts.join(', ')}.`;
}
