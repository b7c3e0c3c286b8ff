/**
 * Install jobs through the real agent, client and HTTP job protocol (the stand-in server on
 * 127.0.0.1), with a scripted package manager whose installs take time on a clock the test
 * controls: selection, per-update statuses, the window's reboot reserve, cancel, reboot options.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../contracts/clock.js';
import type { AgentJob, InstallJob, RebootOption } from '../../contracts/updates.js';
import { Agent } from '../agent.js';
import { linuxAssessor } from '../assessment.js';
import type { MachineIdentity } from '../machine-info.js';
import type { AgentTable, LogRecord } from '../records.js';
import { VirtualClock } from '../simulate/virtual-clock.js';
import { TestServer } from '../testing/test-server.js';
import { UpkeepClient } from '../transport.js';
import { update, type AvailableUpdate, type InstallResult, type PackageManager, type PackageToInstall } from '../package-managers/types.js';
import { packageManagerInstaller } from './installer.js';
import { JobPoller } from './job-poller.js';
import { restartPendingMessage, SystemRebooter, type Rebooter } from './rebooter.js';

const server = new TestServer();
let client: UpkeepClient;
beforeAll(async () => {
  await server.start();
  client = new UpkeepClient({ url: server.url, workspaceId: server.workspaceId, key: server.key });
});
afterAll(async () => {
  client.close();
  await server.stop();
});

const start = Date.UTC(2024, 5, 1, 2, 0);
const minute = 60_000;

/** Packages that upgrade in `minutes` of clock time each; `failing` ones fail like dpkg does. */
class ScriptedPackageManager implements PackageManager {
  readonly name = 'scripted';
  readonly installed: string[] = [];
  restart = false;
  constructor(private readonly available: AvailableUpdate[], private readonly clock: VirtualClock, private readonly failing = new Set<string>(), private readonly minutes = 10) {}
  async detect() { return true; }
  async assess() { return this.available.filter((u) => !this.installed.includes(u.name)); }
  async rebootRequired() { return this.restart; }
  async install(packages: readonly PackageToInstall[]): Promise<InstallResult[]> {
    const results: InstallResult[] = [];
    for (const pkg of packages) {
      // The test advances the clock; an install "runs" until it has.
      await sleep(this.clock, this.minutes * minute);
      if (this.failing.has(pkg.name)) {
        results.push({ package: pkg, status: 'InstallFailed', errorResult: `dpkg failed: error processing package ${pkg.name}` });
        continue;
      }
      this.installed.push(pkg.name);
      this.restart = true;
      results.push({ package: pkg, status: 'Succeeded' });
    }
    return results;
  }
}

class CountingRebooter implements Rebooter {
  reasons: string[] = [];
  async reboot(reason: string) {
    this.reasons.push(reason);
    return { rebooted: true, message: 'rebooted' };
  }
}

const identity: MachineIdentity = {
  computer: 'web01.contoso.com', sourceComputerId: '0b8e7a52-9d3b-4c55-8f0e-1b2c3d4e5f60', osType: 'Linux', osName: 'Debian GNU/Linux', osMajorVersion: '12', osMinorVersion: '',
  osVersion: '12', osFullName: 'Debian GNU/Linux 12 (bookworm)', computerIp: '10.0.0.5', privateIps: ['10.0.0.5'], agentVersion: '0.1.0', vmUuid: '', managementGroupName: 'AOI-test', sourceSystem: 'Linux',
};

const packages = [
  update({ name: 'openssl', arch: 'amd64', currentVersion: '3.0.11-1', candidateVersion: '3.0.13-1', classification: 'Security Updates' }),
  update({ name: 'libssl3', arch: 'amd64', currentVersion: '3.0.11-1', candidateVersion: '3.0.13-1', classification: 'Security Updates' }),
  update({ name: 'linux-image-amd64', arch: 'amd64', currentVersion: '6.1.90-1', candidateVersion: '6.1.94-1', classification: 'Security Updates' }),
  update({ name: 'tzdata', arch: 'all', currentVersion: '2024a-0', candidateVersion: '2024a-1', classification: 'Other Updates' }),
];

let jobCount = 0;
function installJob(fields: Partial<InstallJob> = {}): InstallJob {
  jobCount++;
  return {
    kind: 'install', jobId: `job-${jobCount}`, runId: `run-${jobCount}`, updateRunName: 'Patch Tuesday', os: 'Linux',
    classifications: ['Critical Updates', 'Security Updates'], excludedUpdates: ['linux-image-*'], includedUpdates: [], reboot: 'IfRequired',
    windowEndsAt: new Date(start + 120 * minute).toISOString(), ...fields,
  };
}

interface Harness {
  clock: VirtualClock;
  pm: ScriptedPackageManager;
  rebooter: CountingRebooter;
  records: Record<string, LogRecord[]>;
  run(job: AgentJob, onProgress?: () => void): Promise<void>;
}

function harness(failing: string[] = [], rebooter = new CountingRebooter()): Harness {
  const clock = new VirtualClock(start);
  const pm = new ScriptedPackageManager(packages, clock, new Set(failing));
  const records: Record<string, LogRecord[]> = {};
  const sink = { add: (table: AgentTable, rows: readonly LogRecord[]) => void (records[table] = [...(records[table] ?? []), ...rows]) };
  const installer = packageManagerInstaller(pm);
  const agent = new Agent({ identity, assessor: linuxAssessor(pm), sink, clock, jobs: { transport: client, agentId: 'a1', installer, rebooter, waitSeconds: 0, pollIntervalMs: minute } });
  const poller = new JobPoller({ transport: client, clock, computer: identity.computer, agentId: 'a1', waitSeconds: 0, pollIntervalMs: minute, handle: (job, reporter) => agent.runJob(job, reporter) });
  return {
    clock, pm, rebooter, records,
    async run(job, onProgress) {
      server.enqueueJob(identity.computer, job);
      const polled = poller.pollOnce();
      // Move the clock a minute at a time while the job runs, as time passes on a machine.
      while (!server.completions.has(job.jobId)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        onProgress?.();
        await clock.advanceTo(clock.now().getTime() + minute);
      }
      await polled;
    },
  };
}

const statuses = (jobId: string) => Object.fromEntries([...server.latestStatuses(jobId)].map(([key, p]) => [key, p.status]));

describe('install jobs', () => {
  it('installs what is still needed and in scope, one by one, and reports every update', async () => {
    const h = harness(['libssl3']);
    const job = installJob();
    await h.run(job);
    expect(statuses(job.jobId)).toEqual({ openssl: 'Succeeded', libssl3: 'InstallFailed', 'linux-image-amd64': 'Excluded', tzdata: 'NotIncluded' });
    const openssl = (server.progress.get(job.jobId) ?? []).filter((p) => p.product === 'openssl').map((p) => p.status);
    expect(openssl).toEqual(['NotStarted', 'InProgress', 'Succeeded']);
    const done = server.latestStatuses(job.jobId).get('openssl');
    expect(Date.parse(done?.endTime ?? '') - Date.parse(done?.startTime ?? '')).toBeGreaterThanOrEqual(10 * minute);
    expect(server.latestStatuses(job.jobId).get('libssl3')?.errorResult).toContain('dpkg failed');
    expect(server.completions.get(job.jobId)).toEqual({ status: 'Failed', rebooted: true, error: expect.stringMatching(/^1 of 2 update\(s\) failed: libssl3: dpkg failed/) });
    expect(h.pm.installed).toEqual(['openssl']);
    expect(h.rebooter.reasons).toHaveLength(1); // IfRequired, and the package manager says a reboot is needed
    // Assessed before and after: two UpdateSummary rows, the second no longer missing openssl.
    expect(h.records.UpdateSummary?.map((r) => r.SecurityUpdatesMissing)).toEqual([3, 2]);
  });

  it('starts nothing in the last 20 minutes of the window: the rest is MaintenanceWindowExceeded', async () => {
    const h = harness();
    // 40 minutes: the first two installs (10 min each) start at 0 and 10, the third would start at 20 ≥ 40 − 20.
    const job = installJob({ excludedUpdates: [], windowEndsAt: new Date(start + 40 * minute).toISOString() });
    await h.run(job);
    expect(statuses(job.jobId)).toEqual({ openssl: 'Succeeded', libssl3: 'Succeeded', 'linux-image-amd64': 'MaintenanceWindowExceeded', tzdata: 'NotIncluded' });
    expect(server.latestStatuses(job.jobId).get('linux-image-amd64')?.errorResult).toMatch(/fewer than 20 minutes/);
    expect(server.completions.get(job.jobId)).toMatchObject({ status: 'MaintenanceWindowExceeded', rebooted: true });
  });

  it('stops when the progress answer says the run was cancelled', async () => {
    const h = harness();
    const job = installJob({ classifications: ['Security Updates', 'Other Updates'], excludedUpdates: [] });
    await h.run(job, () => {
      if (server.latestStatuses(job.jobId).get('openssl')?.status === 'Succeeded') server.cancelled.add(job.jobId);
    });
    expect(statuses(job.jobId)).toMatchObject({ openssl: 'Succeeded', 'linux-image-amd64': 'NotStarted', tzdata: 'NotStarted' });
    expect(['NotStarted', 'Succeeded']).toContain(statuses(job.jobId).libssl3);
    expect(server.completions.get(job.jobId)).toEqual({ status: 'Canceled', rebooted: false });
    expect(h.rebooter.reasons).toEqual([]);
  });

  it('honours the allow-list and the reboot options', async () => {
    const cases: [RebootOption, number][] = [['Never', 0], ['Always', 1], ['RebootOnly', 1]];
    for (const [reboot, reboots] of cases) {
      const h = harness();
      const job = installJob({ reboot, includedUpdates: ['open*'] });
      await h.run(job);
      expect(h.rebooter.reasons, reboot).toHaveLength(reboots);
      expect(h.pm.installed, reboot).toEqual(reboot === 'RebootOnly' ? [] : ['openssl']);
      if (reboot !== 'RebootOnly') expect(statuses(job.jobId)).toMatchObject({ openssl: 'Succeeded', libssl3: 'NotIncluded' });
      expect(server.completions.get(job.jobId)).toEqual({ status: 'Succeeded', rebooted: reboots > 0 });
    }
  });

  it('leaves the restart pending without --allow-reboot, and says so', async () => {
    expect(await new SystemRebooter(false).reboot('test')).toEqual({ rebooted: false, message: restartPendingMessage });
    const h = harness([], new SystemRebooter(false) as unknown as CountingRebooter);
    const job = installJob({ includedUpdates: ['openssl'] });
    await h.run(job);
    expect(server.completions.get(job.jobId)).toEqual({ status: 'Succeeded', rebooted: false, error: restartPendingMessage });
    expect(h.records.UpdateSummary?.at(-1)).toMatchObject({ RestartPending: true });
  });

  it('answers an "assess now" job with a scan, and a job for the other OS with a clear failure', async () => {
    const h = harness();
    await h.run({ kind: 'assess', jobId: 'assess-1' });
    expect(server.completions.get('assess-1')).toEqual({ status: 'Succeeded', rebooted: false });
    expect(h.records.UpdateSummary).toHaveLength(1);
    const job = installJob({ os: 'Windows' });
    await h.run(job);
    expect(server.completions.get(job.jobId)).toMatchObject({ status: 'Failed', error: expect.stringContaining('this one runs Linux') });
  });

  it('retries progress the server could not take (503) and still completes', async () => {
    const h = harness();
    const job = installJob({ includedUpdates: ['openssl'] });
    let failed = false;
    await h.run(job, () => {
      if (!failed && server.progress.has(job.jobId)) server.failNextJobCalls = [503, 503];
      failed ||= server.progress.has(job.jobId);
    });
    expect(failed).toBe(true);
    expect(server.failNextJobCalls).toEqual([]); // both 503s were answered, and retried past
    expect(statuses(job.jobId).openssl).toBe('Succeeded');
    expect(server.completions.get(job.jobId)?.status).toBe('Succeeded');
  });
});
