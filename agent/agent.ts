/**
 * The agent's schedule: a heartbeat every minute, an assessment within 15 minutes of start
 * and then every 3 hours (Linux) or 12 hours (Windows); Windows also checks every 15 minutes
 * whether updates were installed since (and rescans if so). With `jobs`, it also fetches and
 * runs the server's jobs (assess now, update deployments) alongside. The same code runs a
 * real machine (system clock, real package manager) and each virtual machine of the fleet
 * simulator (virtual clock, simulated package manager).
 */
import type { AgentJob, JobCompletion } from '../contracts/updates.js';
import { heartbeatRecord, summaryRecord, updateRecords, type AssessmentResult, type Assessor } from './assessment.js';
import { isAbortError, sleepUntil, type Clock } from '../contracts/clock.js';
import type { UpdateInstaller } from './jobs/installer.js';
import { runInstallJob } from './jobs/install-job.js';
import { JobPoller, type JobCounters } from './jobs/job-poller.js';
import type { JobReporter } from './jobs/job-reporter.js';
import type { Rebooter } from './jobs/rebooter.js';
import type { MachineIdentity } from './machine-info.js';
import type { RecordSink } from './records.js';
import type { JobTransport } from './transport.js';

export interface AgentSchedule {
  heartbeatMs: number;
  assessmentMs: number;
  /** The first assessment happens at a random moment within this long after start. */
  firstAssessmentWithinMs: number;
  /** How often to ask the assessor whether updates were installed meanwhile (Windows); 0 = never. */
  installTimeCheckMs: number;
}

const minute = 60_000;
export const linuxSchedule: AgentSchedule = { heartbeatMs: minute, assessmentMs: 180 * minute, firstAssessmentWithinMs: 15 * minute, installTimeCheckMs: 0 };
export const windowsSchedule: AgentSchedule = { heartbeatMs: minute, assessmentMs: 720 * minute, firstAssessmentWithinMs: 15 * minute, installTimeCheckMs: 15 * minute };

export interface AgentJobOptions {
  transport: JobTransport;
  agentId: string;
  installer: UpdateInstaller;
  rebooter: Rebooter;
  /** Long-poll bound in seconds (≤ 30); 0 for the simulator's virtual agents. */
  waitSeconds: number;
  /** Pause between polls that found nothing (clock time): 0 with a long poll. */
  pollIntervalMs: number;
}

export interface AgentOptions {
  identity: MachineIdentity;
  assessor: Assessor;
  sink: RecordSink;
  clock: Clock;
  schedule?: AgentSchedule;
  random?: () => number;
  /** Called after each heartbeat or assessment put records into the sink (the real agent flushes its batch). */
  afterRecords?: () => void;
  jobs?: AgentJobOptions;
  log?: (message: string) => void;
}

export interface AgentCounters {
  heartbeats: number;
  assessments: number;
  failedAssessments: number;
  /** Windows: rescans because the last install time changed. */
  installTimeRescans: number;
  jobsCompleted: Partial<Record<JobCompletion['status'], number>>;
}

export class Agent {
  readonly counters: AgentCounters = { heartbeats: 0, assessments: 0, failedAssessments: 0, installTimeRescans: 0, jobsCompleted: {} };
  /** Assessments and jobs take turns: package managers hold a lock, and a job's scans must be its own. */
  private turn: Promise<unknown> = Promise.resolve();
  private lastInstallTime: number | undefined;
  private poller: JobPoller | undefined;
  private pendingAssessment: Promise<void> | undefined;

  constructor(private readonly options: AgentOptions) {}

  get jobCounters(): JobCounters | undefined {
    return this.poller?.counters;
  }

  heartbeat(): void {
    const { sink, identity, clock } = this.options;
    sink.add('Heartbeat', [heartbeatRecord(identity, clock.now().getTime())]);
    this.counters.heartbeats++;
    this.options.afterRecords?.();
  }

  /** One assessment; a failure is logged and counted, and the agent carries on. */
  assess(): Promise<boolean> {
    return this.exclusive(() => this.assessNow());
  }

  /** Runs a job the server sent (an "assess now" or an update deployment). */
  runJob(job: AgentJob, reporter: JobReporter): Promise<JobCompletion> {
    return this.exclusive(async () => {
      const completion = await this.jobCompletion(job, reporter);
      this.counters.jobsCompleted[completion.status] = (this.counters.jobsCompleted[completion.status] ?? 0) + 1;
      return completion;
    });
  }

  /** Runs the schedule (and the job poller) until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const jobs = this.options.jobs;
    if (jobs) {
      const { identity, clock, log } = this.options;
      this.poller = new JobPoller({
        transport: jobs.transport, clock, computer: identity.computer, agentId: jobs.agentId,
        waitSeconds: jobs.waitSeconds, pollIntervalMs: jobs.pollIntervalMs,
        handle: (job, reporter) => this.runJob(job, reporter),
        ...(log ? { log } : {}),
      });
    }
    await Promise.all([this.runSchedule(signal), this.poller?.run(signal)]);
  }

  private async runSchedule(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    const schedule = this.options.schedule ?? (this.options.identity.osType === 'Windows' ? windowsSchedule : linuxSchedule);
    const random = this.options.random ?? Math.random;
    const start = clock.now().getTime();
    let nextHeartbeat = start;
    let nextAssessment = start + Math.floor(random() * schedule.firstAssessmentWithinMs);
    let nextInstallCheck = schedule.installTimeCheckMs > 0 ? start + schedule.installTimeCheckMs : Infinity;
    try {
      while (!signal.aborted) {
        await sleepUntil(clock, Math.min(nextHeartbeat, nextAssessment, nextInstallCheck), signal);
        const now = clock.now().getTime();
        if (now >= nextHeartbeat) {
          this.heartbeat();
          // A heartbeat missed while the machine was too busy is skipped, not sent late in a burst.
          while (nextHeartbeat <= now) nextHeartbeat += schedule.heartbeatMs;
        }
        // Assessments run beside the loop: a job may hold the agent's turn for an hour, and
        // heartbeats must go on meanwhile. One scheduled assessment waits at a time.
        if (now >= nextAssessment) {
          this.assessInBackground();
          while (nextAssessment <= now) nextAssessment += schedule.assessmentMs;
        } else if (now >= nextInstallCheck && !this.pendingAssessment && (await this.installTimeChanged())) {
          this.counters.installTimeRescans++;
          this.assessInBackground();
        }
        while (nextInstallCheck <= now) nextInstallCheck += schedule.installTimeCheckMs;
      }
    } catch (error) {
      if (!isAbortError(error)) throw error;
    }
  }

  private assessInBackground(): void {
    if (this.pendingAssessment) return;
    this.pendingAssessment = this.assess().then(() => {
      this.pendingAssessment = undefined;
    });
  }

  private async jobCompletion(job: AgentJob, reporter: JobReporter): Promise<JobCompletion> {
    const { jobs, clock, assessor, log } = this.options;
    if (job.kind === 'assess') {
      return (await this.assessNow()) ? { status: 'Succeeded', rebooted: false } : { status: 'Failed', rebooted: false, error: 'the assessment failed; the agent log says why' };
    }
    if (!jobs) return { status: 'Failed', rebooted: false, error: 'this agent does not run update deployments' };
    if (job.os !== this.options.identity.osType) {
      return { status: 'Failed', rebooted: false, error: `the deployment is for ${job.os} machines, this one runs ${this.options.identity.osType}: remove it from the deployment's targets` };
    }
    return runInstallJob(job, {
      clock,
      scan: () => this.scan(),
      restartPending: async () => (assessor.restartPending ? assessor.restartPending() : (await assessor.assess(clock.now().getTime())).restartPending),
      installer: jobs.installer,
      rebooter: jobs.rebooter,
      reporter,
      log: (message) => log?.(`${this.options.identity.computer}: ${message}`),
    });
  }

  private async assessNow(): Promise<boolean> {
    try {
      await this.scan();
      return true;
    } catch (error) {
      this.counters.failedAssessments++;
      this.options.log?.(`${this.options.identity.computer}: assessment failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Assesses and puts the Update and UpdateSummary records into the sink; throws when the assessment fails. */
  private async scan(): Promise<AssessmentResult> {
    const { sink, identity, clock, assessor } = this.options;
    const result = await assessor.assess(clock.now().getTime());
    const at = clock.now().getTime();
    sink.add('Update', updateRecords(identity, result, at));
    sink.add('UpdateSummary', [summaryRecord(identity, result, at)]);
    // Installs up to this scan are in it: the 15-minute check looks for newer ones only.
    if (assessor.lastInstallTime) this.lastInstallTime = await assessor.lastInstallTime(at);
    this.counters.assessments++;
    this.options.afterRecords?.();
    return result;
  }

  /** True when the assessor's last install time moved since the last check (the first check only records it). */
  private async installTimeChanged(): Promise<boolean> {
    const { assessor, clock } = this.options;
    if (!assessor.lastInstallTime) return false;
    const seen = await assessor.lastInstallTime(clock.now().getTime());
    const changed = seen !== undefined && this.lastInstallTime !== undefined && seen !== this.lastInstallTime;
    if (seen !== undefined) this.lastInstallTime = seen;
    return changed;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work, work);
    this.turn = result.catch(() => undefined);
    return result;
  }
}
