/** A small fleet, a few simulated hours in a few real seconds, against a local signed-batch server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsClassifications, type InstallJob } from '../../contracts/updates.js';
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
    // One assessment each: within 15 minutes of start, the next one is 3 h (Linux) / 12 h (Windows) later;
    // plus Windows rescans after its 15-minute check saw automatic updates install.
    expect(summary.assessments).toBe(20 + summary.installTimeRescans);
    expect(server.records('Heartbeat')).toHaveLength(summary.heartbeats);
    expect(server.records('UpdateSummary')).toHaveLength(summary.assessments);
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

  it('virtual agents fetch deployment jobs, install on the virtual clock (WSUS approval, failures, reboots) and rescan', async () => {
    const startMs = Date.UTC(2024, 5, 11, 1, 0);
    const jobs: InstallJob[] = [];
    const summary = await runSimulation({
      endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.key },
      machines: 20,
      speed: 3600 * 2,
      durationMs: 6 * 3_600_000,
      seed: 11,
      startMs,
      rates: { installFailureRate: 0.1, assessmentFailureRate: 0 },
      jobPollMs: 5 * 60_000,
      onRegistered: (machines) => {
        for (const [i, m] of machines.entries()) {
          const job: InstallJob = {
            kind: 'install', jobId: `sim-job-${i}`, runId: 'sim-run', updateRunName: 'Simulated patch night', os: m.osType,
            classifications: m.osType === 'Windows' ? [...windowsClassifications] : ['Critical Updates', 'Security Updates', 'Other Updates'],
            excludedUpdates: [], includedUpdates: [], reboot: 'IfRequired', windowEndsAt: new Date(startMs + 4 * 3_600_000).toISOString(),
          };
          jobs.push(job);
          server.enqueueJob(m.computer, job);
        }
      },
      log: () => undefined,
    });
    expect(jobs).toHaveLength(20);
    // Every machine ran its job and said how it went.
    const completions = jobs.map((j) => server.completions.get(j.jobId));
    expect(completions.every((c) => c !== undefined)).toBe(true);
    const outcomes = Object.values(summary.jobsCompleted).reduce((a, b) => a + b, 0);
    expect(outcomes).toBe(20);
    const statuses = jobs.flatMap((j) => [...server.latestStatuses(j.jobId).values()]);
    const count = (status: string) => statuses.filter((p) => p.status === status).length;
    expect(count('Succeeded')).toBeGreaterThan(20);
    expect(count('InstallFailed')).toBeGreaterThan(0);
    expect(count('InProgress') + count('NotStarted')).toBe(0); // every update reached a final state
    // A machine fails when any of its updates failed; WSUS refusals say which server to approve them on.
    for (const job of jobs) {
      const latest = [...server.latestStatuses(job.jobId).values()];
      const anyFailed = latest.some((p) => p.status === 'Failed' || p.status === 'InstallFailed');
      const completion = server.completions.get(job.jobId);
      if (completion?.status === 'MaintenanceWindowExceeded') expect(latest.some((p) => p.status === 'MaintenanceWindowExceeded')).toBe(true);
      else expect(completion?.status).toBe(anyFailed ? 'Failed' : 'Succeeded');
    }
    for (const p of statuses.filter((s) => s.status === 'Failed')) expect(p.errorResult).toMatch(/is not approved on the WSUS server http:\/\/wsus0\d\.contoso\.com:8530/);
    // Optional Windows updates are never installed by a deployment.
    expect(statuses.filter((p) => p.kbId && p.status === 'Succeeded').length).toBeGreaterThan(0);
    // Reboots per IfRequired; each machine scanned before and after its installation.
    expect(summary.reboots).toBeGreaterThan(0);
    expect(completions.filter((c) => c?.rebooted).length).toBe(summary.reboots);
    expect(summary.assessments).toBeGreaterThanOrEqual(20 * 3);
    // Heartbeats went on while jobs held the agents for hours.
    expect(summary.heartbeats).toBeGreaterThanOrEqual(20 * 6 * 60);
    expect(summary.undelivered).toBe(0);
  }, 60_000);
});
