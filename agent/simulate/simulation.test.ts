/** A small fleet, a few simulated hours in a few real seconds, against a local signed-batch server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../testing/test-server.js';
import { runSimulation } from './simulation.js';

const server = new TestServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe('fleet simulation', () => {
  it('sends every heartbeat and assessment of 20 machines over 2 simulated hours, once, in shared batches', async () => {
    const hours = 2;
    const summary = await runSimulation({
      endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.key },
      machines: 20,
      speed: 3600 * 1.5, // 2 simulated hours in about 1.3 s
      durationMs: hours * 3_600_000,
      seed: 7,
      startMs: Date.UTC(2024, 5, 1, 8, 0),
      rates: { installFailureRate: 0.05, assessmentFailureRate: 0 },
      log: () => undefined,
    });
    expect(summary.machines.windows + summary.machines.linux).toBe(20);
    expect(summary.machines.windows).toBeGreaterThan(0);
    expect(summary.machines.linux).toBeGreaterThan(0);
    expect(server.registrations.size).toBe(20);
    // Each machine: a heartbeat a minute from its start second (0–59 s in) to the end → 120 or 121.
    expect(summary.heartbeats).toBeGreaterThanOrEqual(20 * hours * 60);
    expect(summary.heartbeats).toBeLessThanOrEqual(20 * (hours * 60 + 1));
    // One assessment each: within 15 minutes of start, the next one is 3 h (Linux) / 12 h (Windows) later.
    expect(summary.assessments).toBe(20);
    expect(server.records('Heartbeat')).toHaveLength(summary.heartbeats);
    expect(server.records('UpdateSummary')).toHaveLength(20);
    expect(server.records('Update')).toHaveLength(summary.recordsByTable.Update ?? -1);
    expect(server.records('Update').length).toBeGreaterThan(100);
    expect(summary.stats.recordsAcked).toBe(summary.recordsProduced);
    expect(server.duplicates).toBe(0);
    expect(summary.undelivered).toBe(0);
    // Batching across agents: far fewer requests than records.
    expect(server.requests).toBeLessThan(summary.recordsProduced / 20);
    // Realistic rows: Windows with KB and approval, Linux with packages; every heartbeat names a registered machine.
    const windowsRow = server.records('Update').find((r) => r.OSType === 'Windows');
    expect(windowsRow).toMatchObject({ SourceSystem: 'OpsManager', UpdateState: 'Needed', RevisionNumber: '200' });
    expect(windowsRow?.KBID).toMatch(/^\d+$/);
    expect(server.records('Update').find((r) => r.OSType === 'Linux')).toMatchObject({ SourceSystem: 'Linux', PackageRepository: expect.any(String) });
    const heartbeatTimes = server.records('Heartbeat').map((r) => Date.parse(String(r.TimeGenerated)));
    expect(Math.min(...heartbeatTimes)).toBeGreaterThanOrEqual(Date.UTC(2024, 5, 1, 8, 0));
    expect(Math.max(...heartbeatTimes)).toBeLessThanOrEqual(Date.UTC(2024, 5, 1, 10, 0));
    expect(summary.realMs).toBeLessThan(10_000);
  });
});
