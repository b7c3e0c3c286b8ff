/** `upkeep sample`: writes the deterministic sample fleet into the DuckDB file. */
import { existsSync } from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { defaultSampleOptions, generateSample, sampleLimits, type ProgressListener, type SampleSummary } from '../samples/generate.js';
import { recordTables } from '../language/schema/tables.js';
import { duckdb } from '../language/sql/duckdb.js';
import { defaultDatabasePath, openDatabase } from '../records/store/duckdb-store.js';

interface SampleFlags {
  machines: number;
  days: number;
  seed: number;
  db: string;
  end?: Date;
  ifMissing?: boolean;
  replace?: boolean;
}

export function registerSampleCommand(program: Command): void {
  program
    .command('sample')
    .description('Write a deterministic sample fleet (heartbeats, assessments, deployment runs, events) into the database.')
    .option('--machines <n>', `machines in the fleet (${range('machines')})`, wholeNumber('--machines', 'machines'), defaultSampleOptions.machines)
    .option('--days <n>', `days of history (${range('days')})`, wholeNumber('--days', 'days'), defaultSampleOptions.days)
    .option('--seed <n>', `random seed (${range('seed')})`, wholeNumber('--seed', 'seed'), defaultSampleOptions.seed)
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .option('--end <iso>', 'time of the last heartbeat, e.g. 2024-06-01T12:00:00Z (default: now)', isoDate)
    .option('--if-missing', 'do nothing when the database already holds records')
    .option('--replace', 'empty the record tables before writing the sample')
    .action(async (flags: SampleFlags, command: Command) => {
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
    });
}

function range(name: keyof typeof sampleLimits): string {
  const { min, max } = sampleLimits[name];
  return `${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')}`;
}

function wholeNumber(flag: string, name: keyof typeof sampleLimits): (value: string) => number {
  const { min, max } = sampleLimits[name];
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} needs a whole number from ${min} to ${max}, got '${value}'.`);
    }
    return n;
  };
}

function isoDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`--end needs an ISO 8601 time such as 2024-06-01T12:00:00Z, got '${value}'.`);
  return date;
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
