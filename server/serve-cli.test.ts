/** `upkeep workspace show`, `upkeep token create` and `upkeep serve` usage errors, as child processes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './start-server.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'upkeep-cli-'));
const dbPath = join(dir, 'fleet.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function upkeep(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/upkeep.mjs', ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('workspace and token commands', () => {
  it('show the workspace and create tokens the running server accepts at once', async () => {
    const shown = await upkeep('workspace', 'show', '--db', dbPath, '--format', 'json');
    expect(shown.code).toBe(0);
    const { workspaceId, primaryKey } = JSON.parse(shown.stdout) as { workspaceId: string; primaryKey: string };
    expect(Buffer.from(primaryKey, 'base64')).toHaveLength(64);
    expect(shown.stderr).toMatch(/Admin token \(shown only now\): upk_/);

    const server = await startServer({ dbPath, port: 0 });
    try {
      expect(server.workspace.workspace.workspaceId).toBe(workspaceId);
      const created = await upkeep('token', 'create', '--role', 'reader', '--db', dbPath, '--format', 'json');
      expect(created.code).toBe(0);
      const { token } = JSON.parse(created.stdout) as { token: string };
      const response = await fetch(`${server.url}/api/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"query":"print x = 1"}' });
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('exit 2 with a clear message on bad flags', async () => {
    const role = await upkeep('token', 'create', '--role', 'root', '--db', dbPath);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/admin, operator, reader, agent, ingest/);
    const tls = await upkeep('serve', '--db', dbPath, '--tls-cert', join(dir, 'missing.pem'));
    expect(tls.code).toBe(2);
    expect(tls.stderr).toMatch(/--tls-cert and --tls-key go together/);
    const port = await upkeep('serve', '--db', dbPath, '--port', '99999');
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/not a port number/);
  }, 60_000);
});
