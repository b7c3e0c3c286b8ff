/**
 * The load test's agents: a lighter model of the fleet simulator. Each machine keeps the real
 * agent's schedule on an accelerated clock (a heartbeat every minute, the first assessment
 * within 15 minutes, then every 3 h on Linux / 12 h on Windows), builds its records with the
 * real agent's record builders and simulated update sources, and delivers them as the agent's
 * sender does: one request per table and at most 1,000 records, a batch id per request, the
 * same batch again after a 429 (waiting Retry-After) or a network error. Records produced while
 * a request is in flight wait for the next one, as they would in the agent's spool.
 * No job polling, installs or Windows install-time checks: only what ingestion sees.
 */
import { heartbeatRecord, linuxAssessor, summaryRecord, updateRecords, type Assessor } from '../agent/assessment.js';
import { linuxSchedule, windowsSchedule } from '../agent/agent.js';
import type { MachineIdentity } from '../agent/machine-info.js';
import { simulatedIdentity } from '../agent/simulate/simulation.js';
import type { AgentTable, LogRecord } from '../agent/records.js';
import { defaultRates, PatchState } from '../agent/simulate/patch-state.js';
import { SimulatedPackageManager, SimulatedWindowsUpdate } from '../agent/simulate/simulated-sources.js';
import type { CatalogueUpdate } from '../samples/catalogue-types.js';
import { sleepUntil, type Clock } from '../contracts/clock.js';
import { buildMachines, type SampleMachine } from '../samples/fleet-machines.js';
import { linuxCatalogue } from '../samples/linux-catalogue.js';
import { Prng } from '../samples/prng.js';
import { windowsCatalogue } from '../samples/windows-catalogue.js';
import type { LoadClient } from './load-client.js';

const maxBatchRecords = 1000;

export interface FleetOptions {
  machines: number;
  /** Simulated milliseconds per real millisecond (60: a heartbeat per machine per real second). */
  speed: number;
  seed: number;
  workspaceId: string;
  client: LoadClient;
  /** Stops producing records; the request in flight settles, retried until `drainDeadline()` (performance.now() time). */
  signal: AbortSignal;
  drainDeadline: () => number;
}

export interface FleetStats {
  /** Requests answered 200. */
  requests: number;
  recordsAcked: number;
  ackedByTable: Record<AgentTable, number>;
  /** 200 answers saying the batch was already stored (an earlier attempt's answer was lost). */
  duplicateBatches: number;
  /** 429 answers, and those of them without a Retry-After header. */
  shed: number;
  shedWithoutRetryAfter: number;
  /** Any other status, or no answer (network error, timeout). */
  errors: number;
  errorSamples: string[];
  /** Batches whose outcome was still unknown when the drain time ran out. */
  unsettled: number;
  /** Milliseconds from send to 200, every acknowledged request. */
  ackMs: number[];
  heartbeats: number;
  assessments: number;
  failedAssessments: number;
  recordsProduced: number;
}

export function emptyStats(): FleetStats {
  return {
    requests: 0, recordsAcked: 0, ackedByTable: { Heartbeat: 0, Update: 0, UpdateSummary: 0 }, duplicateBatches: 0, shed: 0, shedWithoutRetryAfter: 0,
    errors: 0, errorSamples: [], unsettled: 0, ackMs: [], heartbeats: 0, assessments: 0, failedAssessments: 0, recordsProduced: 0,
  };
}

interface LoadMachine {
  identity: MachineIdentity;
  assessor: Assessor;
  windows: boolean;
  heartbeatOffsetMs: number;
}

/** Runs every machine until `signal` aborts and their last requests settle; the virtual time starts at `startMs`. */
export async function runFleet(options: FleetOptions, stats: FleetStats, startMs: number): Promise<void> {
  const realStart = performance.now();
  // Virtual time runs `speed` times as fast as real time.
  const clock: Clock = {
    now: () => new Date(startMs + (performance.now() - realStart) * options.speed),
    setTimer(ms, callback) {
      const timer = setTimeout(callback, Math.max(0, ms / options.speed));
      return { cancel: () => clearTimeout(timer) };
    },
  };
  const rng = new Prng(options.seed);
  const machines = buildMachines(options.machines, 24 * 60, rng.fork('machines'));
  const catalogue = [...windowsCatalogue(new Date(startMs), rng.fork('windows')), ...linuxCatalogue(new Date(startMs), rng.fork('linux'))];
  const fleet = machines.map((m) => loadMachine(m, catalogue.filter((u) => u.family === m.os.family), rng.fork(`m${m.index}`), clock, options.workspaceId, startMs));
  await Promise.all(fleet.map((m, i) => runMachine(m, options, stats, clock, startMs, rng.fork(`a${i}`))));
}

function loadMachine(machine: SampleMachine, applicable: readonly CatalogueUpdate[], rng: Prng, clock: Clock, workspaceId: string, startMs: number): LoadMachine {
  const state = new PatchState(machine, applicable, rng.fork('patch'), defaultRates, startMs);
  const windows = machine.os.osType === 'Windows';
  const identity = simulatedIdentity(machine, workspaceId);
  const assessor = windows ? new SimulatedWindowsUpdate(state) : linuxAssessor(new SimulatedPackageManager(state, clock));
  return { identity, assessor, windows, heartbeatOffsetMs: machine.heartbeatSecond * 1000 };
}

async function runMachine(machine: LoadMachine, options: FleetOptions, stats: FleetStats, clock: Clock, startMs: number, rng: Prng): Promise<void> {
  const schedule = machine.windows ? windowsSchedule : linuxSchedule;
  let nextHeartbeat = startMs + machine.heartbeatOffsetMs;
  let nextAssessment = startMs + Math.floor(rng.next() * schedule.firstAssessmentWithinMs);
  const outbox: Record<AgentTable, LogRecord[]> = { Heartbeat: [], Update: [], UpdateSummary: [] };
  let sequence = 0;
  while (!options.signal.aborted) {
    await sleepUntil(clock, Math.min(nextHeartbeat, nextAssessment), options.signal).catch(() => undefined);
    if (options.signal.aborted) break;
    const now = clock.now().getTime();
    // Every heartbeat that fell due while the last request was out, each with its own time (the spool keeps them).
    for (; nextHeartbeat <= now; nextHeartbeat += schedule.heartbeatMs) {
      outbox.Heartbeat.push(heartbeatRecord(machine.identity, nextHeartbeat));
      stats.heartbeats++;
    }
    if (nextAssessment <= now) {
      try {
        const result = await machine.assessor.assess(now);
        outbox.Update.push(...updateRecords(machine.identity, result, now));
        outbox.UpdateSummary.push(summaryRecord(machine.identity, result, now));
        stats.assessments++;
      } catch {
        stats.failedAssessments++; // the simulated sources fail some scans, as real ones do; the agent sends nothing for them
      }
      while (nextAssessment <= now) nextAssessment += schedule.assessmentMs;
    }
    for (const table of ['UpdateSummary', 'Update', 'Heartbeat'] as const) {
      // After the stop no new request starts: what is left stays in the outbox (the agent's spool), unacknowledged.
      while (outbox[table].length > 0 && !options.signal.aborted) {
        const records = outbox[table].splice(0, maxBatchRecords);
        stats.recordsProduced += records.length;
        await deliver(options, stats, table, records, `${machine.identity.computer}-${sequence++}`, rng);
      }
    }
  }
}

/** Sends one batch until the server answers 200, or gives it up (a 429 after the stop, or the drain time ran out). */
async function deliver(options: FleetOptions, stats: FleetStats, table: AgentTable, records: LogRecord[], batchId: string, rng: Prng): Promise<void> {
  for (;;) {
    const sent = performance.now();
    let waitMs: number;
    try {
      const answer = await options.client.sendLogs(table, records, batchId);
      if (answer.status === 200) {
        stats.requests++;
        stats.recordsAcked += records.length;
        stats.ackedByTable[table] += records.length;
        stats.ackMs.push(performance.now() - sent);
        if (/"duplicateBatch":true/.test(answer.text)) stats.duplicateBatches++;
        return;
      }
      if (answer.status === 429) {
        stats.shed++;
        if (answer.retryAfter === undefined || !Number.isFinite(answer.retryAfter)) stats.shedWithoutRetryAfter++;
        if (options.signal.aborted) return; // nothing of it was stored; the agent would keep it for later
        // Jitter over the server's Retry-After, so the fleet does not come back in one wave; the stop ends the wait (nothing was stored).
        const stopped = await sleepReal((answer.retryAfter ?? 1) * 1000 * (0.5 + rng.next()), options.signal).then(() => false, () => true);
        if (stopped) return;
        continue;
      } else {
        noteError(stats, `${table} ${answer.status}: ${answer.text.slice(0, 200)}`);
        waitMs = 1000 * (0.5 + rng.next());
      }
    } catch (error) {
      noteError(stats, `${table}: ${(error as Error).message}`);
      waitMs = 1000 * (0.5 + rng.next());
    }
    if (performance.now() + waitMs > options.drainDeadline()) {
      stats.unsettled++;
      return;
    }
    await sleepReal(waitMs);
  }
}

function noteError(stats: FleetStats, message: string): void {
  stats.errors++;
  if (stats.errorSamples.length < 5) stats.errorSamples.push(message);
}

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, Math.max(0, ms));
    const aborted = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
