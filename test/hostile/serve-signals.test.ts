/**
 * `upkeep serve` as a child process and the ways it is stopped: SIGTERM the moment it says it
 * listens (its handlers are installed before that line), and SIGTERM after whoever read its
 * output has gone (the stop message must not crash it with EPIPE). Both must stop cleanly: exit
 * code 0, and what was acknowledged is there after a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memorySize } from '../../cli/serve-command.js';
import { heartbeat, signedLogHeaders } from '../../server/test-server.js';
import { ensureWorkspace } from '../../app/workspace/workspace-file.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-serve-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  url: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function startServe(dbPath: string, extraArgs: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ['bin/upkeep.mjs', 'serve', '--db', dbPath, '--port', '0', '--log-level', 'warn', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upkeep serve did not start within 30 s: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Upkeep listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ child, url: match[1]!, exit, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then(({ code, signal }) => reject(new Error(`upkeep serve exited with ${code ?? signal}: ${output}`)));
  });
}

async function count(url: string, adminToken: string): Promise<number> {
  const response = await fetch(`${url}/api/query`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'Heartbeat | count' }) });
  const body = (await response.json()) as { tables: { rows: number[][] }[] };
  return Number(body.tables[0]!.rows[0]![0]);
}

describe('upkeep serve stops cleanly', () => {
  const dbPath = join(dir, 'serve.duckdb');
  const { workspace, adminToken } = ensureWorkspace(dbPath);

  it('on a SIGTERM sent the moment it prints that it listens', async () => {
    const serving = await startServe(dbPath);
    serving.child.kill('SIGTERM');
    serving.child.stdout!.on('data', () => {});
    expect(await serving.exit).toEqual({ code: 0, signal: null });
  }, 40_000);

  it('on a SIGTERM after the reader of its output has gone (no EPIPE crash), keeping what it acknowledged', async () => {
    const serving = await startServe(dbPath, ['--query-memory', '256MB']);
    const body = Buffer.from(JSON.stringify([heartbeat('signals-1')]));
    const stored = await fetch(`${serving.url}/api/logs`, { method: 'POST', headers: { ...signedLogHeaders(workspace.workspaceId, workspace.primaryKey, body.length), 'log-type': 'Heartbeat' }, body: new Uint8Array(body) });
    expect(stored.status).toBe(200);
    // Close our end of its stdout: its next write (the stop message) meets a closed pipe.
    serving.child.stdout!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    serving.child.kill('SIGTERM');
    expect({ ...(await serving.exit), stderr: serving.output().replace(/^[^]*listening on \S+[^\n]*\n/, '') }).toEqual({ code: 0, signal: null, stderr: '' });
    const again = await startServe(dbPath);
    try {
      expect(await count(again.url, adminToken!)).toBe(1);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exit).toEqual({ code: 0, signal: null });
    }
  }, 60_000);

  it('--query-memory reads sizes and shares of memory, and refuses nonsense naming the form', () => {
    expect(memorySize('4GB')).toBe(4e9);
    expect(memorySize('512MiB')).toBe(512 * 2 ** 20);
    expect(memorySize('40%')).toBeGreaterThan(0);
    expect(() => memorySize('lots')).toThrow("'lots' is not a memory size: write it like 4GB, 512MB or 40%.");
    expect(() => memorySize('1MB')).toThrow(/at least 16MB/);
    expect(() => memorySize('150%')).toThrow(/between 1% and 100%/);
  });
});
