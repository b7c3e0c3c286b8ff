/** The agent's schedule on a virtual clock: Windows' 15-minute check of the last install time. */
import { describe, expect, it } from 'vitest';
import { Agent, windowsSchedule } from './agent.js';
import type { AssessmentResult, Assessor } from './assessment.js';
import type { MachineIdentity } from './machine-info.js';
import type { AgentTable, LogRecord } from './records.js';
import { VirtualClock } from './simulate/virtual-clock.js';

const minute = 60_000;
const start = Date.UTC(2024, 5, 1, 0, 0);

const identity: MachineIdentity = {
  computer: 'srv01.contoso.com', sourceComputerId: '3f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', osType: 'Windows', osName: 'Windows Server 2022 Datacenter', osMajorVersion: '10', osMinorVersion: '0',
  osVersion: '10.0.20348', osFullName: 'Windows Server 2022 Datacenter', computerIp: '10.0.0.9', privateIps: ['10.0.0.9'], agentVersion: '10.20.18067.0', vmUuid: '', managementGroupName: 'AOI-test', sourceSystem: 'OpsManager',
};

/** Windows Update whose last install time the test moves. */
class ScriptedWindowsUpdate implements Assessor {
  lastInstall = start - 86_400_000;
  scans: number[] = [];
  async assess(nowMs: number): Promise<AssessmentResult> {
    this.scans.push(nowMs);
    return { updates: [], restartPending: false };
  }
  async lastInstallTime(): Promise<number> {
    return this.lastInstall;
  }
}

describe('Windows last-install-time check', () => {
  it('rescans at the next 15-minute check after an install it did not scan, and only then', async () => {
    const clock = new VirtualClock(start);
    const assessor = new ScriptedWindowsUpdate();
    const records: LogRecord[] = [];
    const sink = { add: (table: AgentTable, rows: readonly LogRecord[]) => void (table === 'UpdateSummary' && records.push(...rows)) };
    // First assessment right at start (random 0), then every 12 h.
    const agent = new Agent({ identity, assessor, sink, clock, schedule: windowsSchedule, random: () => 0 });
    const controller = new AbortController();
    const running = agent.run(controller.signal);
    await new Promise((resolve) => setImmediate(resolve)); // the agent is asleep on the clock before time moves
    await clock.advanceTo(start + 100 * minute);
    expect(assessor.scans).toEqual([start]); // nothing installed: checks at 15, 30, … 90 do not rescan
    assessor.lastInstall = start + 100 * minute; // Windows installed something by itself
    await clock.advanceTo(start + 200 * minute);
    expect(assessor.scans).toEqual([start, start + 105 * minute]);
    expect(agent.counters.installTimeRescans).toBe(1);
    expect(records).toHaveLength(2);
    controller.abort();
    await running;
  });
});
