/**
 * kill -9 of a serving process in the middle of a load, then a restart on the same file: every
 * record acknowledged with 200 is there exactly once, and every batch is whole or absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWorkspace } from '../workspace/workspace-file.js';
import { heartbeat, signedLogHeaders } from './test-server.js';

const SENDERS = 4;
const RECORDS_PER_BATCH = 200;
const MAX_BATCHES_PER_SENDER = 40;

const dir = mkdtempSync(join(tmpdir(), 'upkeep-crash-'));
const dbPath = join(dir, 'upkeep.duckdb');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `upkeep serve` on a free port; resolves with its URL once it listens. */
function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/upkeep.mjs', 'serve', '--db', dbPath, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`upkeep serve did not start within 30 s: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Upkeep listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`upkeep serve exited with ${code}: ${output}`)));
  });
}

describe('kill -9 mid-load', () => {
  it('keeps every acknowledged record exactly once and every batch whole', async () => {
    const { workspace, adminToken } = ensureWorkspace(dbPath);
    const first = await serve();
    const acknowledged: string[] = [];
    let killed = false;

    async function sender(s: number): Promise<void> {
      for (let b = 0; b < MAX_BATCHES_PER_SENDER && !killed; b++) {
        const batch = `s${s}-b${b}`;
        const body = Buffer.from(JSON.stringify(Array.from({ length: RECORDS_PER_BATCH }, (_, i) => heartbeat(`${batch}-r${i}`))));
        const headers = { ...signedLogHeaders(workspace.workspaceId, workspace.primaryKey, body.length), 'log-type': 'Heartbeat', 'x-upkeep-batch-id': batch };
        try {
          const response = await fetch(`${first.url}/api/logs`, { method: 'POST', headers, body: new Uint8Array(body) });
          if (response.status === 200) acknowledged.push(batch);
        } catch {
          return; // the server is gone: this batch was never acknowledged
        }
      }
    }

    const load = Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    const started = Date.now();
    while (acknowledged.length < 12 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await load;
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);

    const second = await serve();
    try {
      const response = await fetch(`${second.url}/api/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'Heartbeat | summarize n = count() by Computer' }),
      });
      const body = (await response.json()) as { tables: { rows: [string, number][] }[] };
      const copies = new Map(body.tables[0]!.rows);
      expect([...copies.values()].every((n) => n === 1)).toBe(true);
      for (const batch of acknowledged) {
        for (let i = 0; i < RECORDS_PER_BATCH; i++) expect(copies.get(`${batch}-r${i}`)).toBe(1);
      }
      const perBatch = new Map<string, number>();
      for (const computer of copies.keys()) {
        const batch = computer.slice(0, computer.lastIndexOf('-r'));
        perBatch.set(batch, (perBatch.get(batch) ?? 0) + 1);
      }
      expect([...perBatch.values()].every((n) => n === RECORDS_PER_BATCH)).toBe(true);
    } finally {
      // A clean stop: SIGTERM finishes requests, commits, checkpoints and exits 0.
      const exited = new Promise<number | null>((resolve) => second.child.once('exit', resolve));
      second.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 90_000);
});
