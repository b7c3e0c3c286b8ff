/**
 * The agent's schedule: a heartbeat every minute, an assessment within 15 minutes of start
 * and then every 3 hours (Linux) or 12 hours (Windows). The same code runs a real machine
 * (system clock, real package manager) and each virtual machine of the fleet simulator
 * (virtual clock, simulated package manager).
 */
import { heartbeatRecord, summaryRecord, updateRecords, type Assessor } from './assessment.js';
import { isAbortError, type Clock } from './clock.js';
import type { MachineIdentity } from './machine-info.js';
import type { RecordSink } from './records.js';

export interface AgentSchedule {
  heartbeatMs: number;
  assessmentMs: number;
  /** The first assessment happens at a random moment within this long after start. */
  firstAssessmentWithinMs: number;
}

const minute = 60_000;
export const linuxSchedule: AgentSchedule = { heartbeatMs: minute, assessmentMs: 180 * minute, firstAssessmentWithinMs: 15 * minute };
export const windowsSchedule: AgentSchedule = { heartbeatMs: minute, assessmentMs: 720 * minute, firstAssessmentWithinMs: 15 * minute };

export interface AgentOptions {
  identity: MachineIdentity;
  assessor: Assessor;
  sink: RecordSink;
  clock: Clock;
  schedule?: AgentSchedule;
  random?: () => number;
  /** Called after each heartbeat or assessment put records into the sink (the real agent flushes its batch). */
  afterRecords?: () => void;
  log?: (message: string) => void;
}

export interface AgentCounters {
  heartbeats: number;
  assessments: number;
  failedAssessments: number;
}

export class Agent {
  readonly counters: AgentCounters = { heartbeats: 0, assessments: 0, failedAssessments: 0 };

  constructor(private readonly options: AgentOptions) {}

  heartbeat(): void {
    const { sink, identity, clock } = this.options;
    sink.add('Heartbeat', [heartbeatRecord(identity, clock.now())]);
    this.counters.heartbeats++;
    this.options.afterRecords?.();
  }

  /** One assessment; a failure is logged and counted, and the agent carries on. */
  async assess(): Promise<boolean> {
    const { sink, identity, clock, assessor } = this.options;
    const startedAt = clock.now();
    try {
      const result = await assessor.assess(startedAt);
      const at = clock.now();
      sink.add('Update', updateRecords(identity, result, at));
      sink.add('UpdateSummary', [summaryRecord(identity, result, at)]);
      this.counters.assessments++;
      this.options.afterRecords?.();
      return true;
    } catch (error) {
      this.counters.failedAssessments++;
      this.options.log?.(`${identity.computer}: assessment failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Runs the schedule until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const schedule = this.options.schedule ?? (this.options.identity.osType === 'Windows' ? windowsSchedule : linuxSchedule);
    const random = this.options.random ?? Math.random;
    const start = clock.now();
    let nextHeartbeat = start;
    let nextAssessment = start + Math.floor(random() * schedule.firstAssessmentWithinMs);
    try {
      while (!signal.aborted) {
        await clock.sleepUntil(Math.min(nextHeartbeat, nextAssessment), signal);
        const now = clock.now();
        if (now >= nextHeartbeat) {
          this.heartbeat();
          // A heartbeat missed while an assessment ran is skipped, not sent late in a burst.
          while (nextHeartbeat <= now) nextHeartbeat += schedule.heartbeatMs;
        }
        if (now >= nextAssessment) {
          await this.assess();
          while (nextAssessment <= now) nextAssessment += schedule.assessmentMs;
        }
      }
    } catch (error) {
      if (!isAbortError(error)) throw error;
    }
  }
}
