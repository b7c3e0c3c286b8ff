import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';

const writerScript = fileURLToPath(new URL('./testdata/crash-writer.ts', import.meta.url));

interface Acks {
  ids: string[];
  /** Checkpoints the writer had finished by its last acknowledgement. */
  checkpoints: number;
}

/**
 * Runs the writer (node itself with tsx's loader, so SIGKILL hits the writing process) until it
 * has printed `acks` acknowledgements, then kills it with SIGKILL.
 */
function runUntilAcks(dbFile: string, spoolDir: string, acks: number, busyWalBytes?: number): Promise<Acks> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', writerScript, dbFile, spoolDir, ...(busyWalBytes ? [String(busyWalBytes)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let checkpoints = 0;
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('ack ')) continue;
        const [, id, , done] = line.split(' ');
        acked.push(id!);
        checkpoints = Number(done);
      }
      if (acked.length >= acks) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || acked.length < acks) reject(new Error(`writer ended early (${signal}, ${acked.length} acks): ${stderr}`));
      else resolve({ ids: acked, checkpoints });
    });
  });
}

it('loses no acknowledged record when the writer process is killed with SIGKILL', { timeout: 40_000 }, async () => {
  await killAndCheck(30);
});

it('loses nothing either when killed while checkpoints run beside the commits', { timeout: 40_000 }, async () => {
  // A 64 KiB bound makes the writer checkpoint every few batches on its own connection.
  const checkpoints = await killAndCheck(120, 64 << 10);
  expect(checkpoints).toBeGreaterThanOrEqual(2);
});

/** Kills the writer after `acks` acknowledgements and checks the file; returns the checkpoints seen. */
async function killAndCheck(acks: number, busyWalBytes?: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-crash-'));
  try {
    const dbFile = join(dir, 'crash.duckdb');
    const { ids: acked, checkpoints } = await runUntilAcks(dbFile, join(dir, 'spool'), acks, busyWalBytes);
    const instance = await DuckDBInstance.create(dbFile);
    const conn = await instance.connect();
    const batches = new Set((await conn.runAndReadAll('SELECT batch_id FROM _ingest_batches')).getRows().map((r) => String(r[0])));
    for (const id of acked) expect(batches.has(id), `acknowledged batch ${id} is stored`).toBe(true);
    // Every stored batch is whole: records and batch ids were committed together.
    const perBatch = await conn.runAndReadAll(
      `SELECT count(*) FROM Heartbeat GROUP BY regexp_extract(Computer, '^(crash-\\d+)-', 1) HAVING count(*) <> 200`,
    );
    expect(perBatch.getRows()).toEqual([]);
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM Heartbeat')).getRows()[0]![0])).toBe(batches.size * 200);
    conn.closeSync();
    instance.closeSync();
    return checkpoints;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
