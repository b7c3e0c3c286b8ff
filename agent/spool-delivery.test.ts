/**
 * The real agent (`runAgent --once`) against a local test server that goes away and comes
 * back: records spool while it is down, survive an agent restart, and arrive exactly once.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PackageManager } from './package-managers/types.js';
import { update } from './package-managers/types.js';
import { runAgent, type RunAgentOptions } from './run-agent.js';
import { Spool } from './spool.js';
import { TestServer } from './testing/test-server.js';

const fakeApt: PackageManager = {
  name: 'fake',
  detect: async () => true,
  assess: async () => [
    update({ name: 'openssl', arch: 'amd64', currentVersion: '3.0.11-1', candidateVersion: '3.0.13-1', repository: 'Debian-Security:12/stable-security', classification: 'Security Updates' }),
    update({ name: 'tzdata', arch: 'all', currentVersion: '2024a-0', candidateVersion: '2024a-1', repository: 'Debian:12/stable-updates' }),
  ],
  rebootRequired: async () => true,
  install: async () => [],
};

let server: TestServer;
afterEach(() => server?.stop());

function options(stateDir: string, extra: Partial<RunAgentOptions> = {}): RunAgentOptions {
  return {
    endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.key, timeoutMs: 1000 },
    stateDir,
    once: true,
    packageManager: fakeApt,
    machine: { computer: 'web1.contoso.com' },
    sender: { backoffBaseMs: 20, backoffMaxMs: 100 },
    drainTimeoutMs: 5000,
    log: () => undefined,
    ...extra,
  };
}

describe('agent --once with spool', () => {
  it('sends a heartbeat, Update rows and an UpdateSummary', async () => {
    server = new TestServer();
    await server.start();
    const summary = await runAgent(options(mkdtempSync(join(tmpdir(), 'upkeep-agent-'))));
    expect(summary.exit).toBe('delivered');
    const [heartbeat] = server.records('Heartbeat');
    expect(heartbeat).toMatchObject({ Computer: 'web1.contoso.com', Category: 'Direct Agent', Solutions: 'updates', SourceSystem: 'Linux', OSType: 'Linux', ManagementGroupName: `AOI-${server.workspaceId}`, SourceComputerId: summary.sourceComputerId });
    expect(server.records('Update').map((r) => [r.Product, r.Classification, r.UpdateState, r.ProductVersion])).toEqual([
      ['openssl', 'Security Updates', 'Needed', '3.0.13-1'],
      ['tzdata', 'Other Updates', 'Needed', '2024a-1'],
    ]);
    expect(server.records('UpdateSummary')).toEqual([expect.objectContaining({ SecurityUpdatesMissing: 1, OtherUpdatesMissing: 1, TotalUpdatesMissing: 2, RestartPending: true })]);
  });

  it('spools while the server is down, keeps the spool across a restart, and delivers every batch once', async () => {
    server = new TestServer();
    await server.start();
    const stateDir = mkdtempSync(join(tmpdir(), 'upkeep-agent-'));
    const first = await runAgent(options(stateDir)); // registers
    expect(first.exit).toBe('delivered');
    await server.stop();

    // Two runs while the server is down: a restarted agent adds to the spool, loses nothing.
    const down1 = await runAgent(options(stateDir, { drainTimeoutMs: 300 }));
    const down2 = await runAgent(options(stateDir, { drainTimeoutMs: 300 }));
    expect([down1.exit, down2.exit]).toEqual(['spooled', 'spooled']);
    expect(down2.agentId).toBe(first.agentId);
    const spooledIds = readdirSync(join(stateDir, 'spool')).map((f) => f.split('.')[2]);
    expect(spooledIds).toHaveLength(6); // 2 runs × (Heartbeat, Update, UpdateSummary)

    // Back up; the first acknowledgement gets lost after the batch was stored: the retry keeps its id.
    await server.start();
    server.failNext = ['lost-ack', 503];
    const up = await runAgent(options(stateDir));
    expect(up.exit).toBe('delivered');
    expect(up.stats.retries).toBeGreaterThanOrEqual(2);
    for (const id of spooledIds) expect(server.batches.has(id ?? '')).toBe(true);
    expect(server.duplicates).toBe(1);
    expect(server.records('Heartbeat')).toHaveLength(4);
    expect(server.records('UpdateSummary')).toHaveLength(4);
    expect(server.records('Update')).toHaveLength(8);
    expect(readdirSync(join(stateDir, 'spool'))).toEqual([]);
  });

  it('stops on wrong credentials with the fix, keeping the spool', async () => {
    server = new TestServer();
    await server.start();
    const stateDir = mkdtempSync(join(tmpdir(), 'upkeep-agent-'));
    await expect(runAgent(options(stateDir, { endpoint: { url: server.url, workspaceId: server.workspaceId, key: Buffer.from('nope').toString('base64') } })))
      .rejects.toThrow(/refused the credentials .*check --workspace and --key/);
  });
});

describe('spool bound', () => {
  it('drops the oldest batches beyond the bound, with a warning', () => {
    const warnings: string[] = [];
    const spool = new Spool(mkdtempSync(join(tmpdir(), 'upkeep-spool-')), { maxBatches: 3, warn: (m) => warnings.push(m) });
    const ids = [1, 2, 3, 4, 5].map((n) => spool.put('Heartbeat', [{ n }]));
    expect(spool.oldest(10).map((b) => b.batchId)).toEqual(ids.slice(2));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/spool: full \(3 batches .*dropped the 1 oldest batch/);
    // A reopened spool continues the sequence after the survivors.
    const reopened = new Spool(spool.dir, { maxBatches: 3, warn: () => undefined });
    reopened.put('Heartbeat', [{ n: 6 }]);
    expect(reopened.oldest(10).map((b) => b.records[0]?.n)).toEqual([4, 5, 6]);
  });
});
