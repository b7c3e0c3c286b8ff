import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, it } from 'vitest';

const writerScript = fileURLToPath(new URL('./testdata/crash-writer.ts', import.meta.url));

/** Runs the writer (node itself with tsx's loader, so SIGKILL hits the writing process) until it has printed `acks` acknowledgements, then kills it with SIGKILL. */
function runUntilAcks(dbFile: string, spoolDir: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dbFile, spoolDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.split(' ')[1]!);
      if (acked.length >= acks) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || acked.length < acks) reject(new Error(`writer ended early (${signal}, ${acked.length} acks): ${stderr}`));
      else resolve(acked);
    });
  });
}

it('loses no acknowledged record when the writer process is killed with SIGKILL', { timeout: 40_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-crash-'));
  try {
    const dbFile = join(dir, 'crash.duckdb');
    const acked = await runUntilAcks(dbFile, join(dir, 'spool'), 30);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
