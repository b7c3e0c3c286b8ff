/** `upkeep agent` and `upkeep simulate` as real processes against a local signed-batch server. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './testing/test-server.js';

const server = new TestServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

async function upkeep(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['bin/upkeep.mjs', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('upkeep agent', () => {
  it('--once registers, sends a heartbeat and an assessment summary, exits 0', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'upkeep-agent-cli-'));
    const keyFile = join(stateDir, 'agent.key');
    writeFileSync(keyFile, `${server.key}\n`, { mode: 0o600 });
    const result = await upkeep(['agent', '--server', server.url, '--workspace', server.workspaceId, '--key-file', keyFile, '--once', '--state-dir', stateDir]);
    expect(result.stdout).toMatch(/^agent agent-\S+: \d+ records in 3 batches acknowledged/);
    expect(result.code).toBe(0);
    expect(server.records('UpdateSummary')).toHaveLength(1);
  });

  it('explains an unreachable server and wrong usage', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'upkeep-agent-cli-'));
    const refused = await upkeep(['agent', '--server', 'http://127.0.0.1:1', '--workspace', 'w', '--key', 'a2V5', '--once', '--state-dir', stateDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1\/api\/agents\/register: the connection was refused \(ECONNREFUSED\): check the proxy\/firewall/);
    const usage = await upkeep(['agent', '--server', 'ftp://x', '--workspace', 'w', '--key', 'a2V5', '--once']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--server must be an http:\/\/ or https:\/\/ URL/);
  });
});

describe('upkeep simulate', () => {
  it('runs a small fleet and prints a summary', async () => {
    const result = await upkeep(['simulate', '--server', server.url, '--workspace', server.workspaceId, '--key', server.key, '--machines', '10', '--speed', '7200', '--duration', '1h']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/10 machines \(\d+ Windows, \d+ Linux\), 1h00m simulated/);
    expect(result.stdout).toMatch(/0 batches undelivered/);
    const bad = await upkeep(['simulate', '--server', server.url, '--workspace', 'w', '--key', 'k', '--duration', '3 weeks']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--duration takes a number and a unit/);
  });
});
