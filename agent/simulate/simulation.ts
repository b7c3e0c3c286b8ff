/**
 * The fleet simulator: N virtual machines, each running the real agent (schedule, records,
 * batching, spool, sender, transport) on a shared virtual clock that runs `speed` times
 * faster than real time. Records of all machines share batches, so a request carries many.
 */
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogueUpdate } from '../../samples/catalogue-types.js';
import { buildMachines, type SampleMachine } from '../../samples/fleet-machines.js';
import { linuxCatalogue } from '../../samples/linux-catalogue.js';
import { Prng } from '../../samples/prng.js';
import { windowsCatalogue } from '../../samples/windows-catalogue.js';
import type { JobCompletion } from '../../contracts/updates.js';
import { Agent, linuxSchedule, windowsSchedule, type AgentJobOptions } from '../agent.js';
import { packageManagerInstaller } from '../jobs/installer.js';
import { linuxAssessor } from '../assessment.js';
import { Batcher } from '../batcher.js';
import type { MachineIdentity } from '../machine-info.js';
import type { AgentTable, LogRecord, RecordSink } from '../records.js';
import { Sender, type SenderStats } from '../sender.js';
import { Spool } from '../spool.js';
import { UpkeepClient, type JobTransport, type ServerEndpoint } from '../transport.js';
import { defaultRates, PatchState, type FleetRates } from './patch-state.js';
import { SimulatedPackageManager, SimulatedRebooter, SimulatedWindowsInstaller, SimulatedWindowsUpdate } from './simulated-sources.js';
import { TrackedJobTransport } from './tracked-transport.js';
import { sleepUntil } from '../../contracts/clock.js';
import { VirtualClock } from './virtual-clock.js';

export interface SimulationOptions {
  endpoint: ServerEndpoint;
  machines: number;
  /** Simulated milliseconds per real millisecond. */
  speed: number;
  /** Simulated duration. */
  durationMs: number;
  seed: number;
  /** Simulated start (default: now minus the duration, so the records end near now). */
  startMs?: number;
  rates?: FleetRates;
  /** Records per HTTP request. */
  batchRecords?: number;
  /** Spool directory (default: a temporary one, removed at the end). */
  spoolDir?: string;
  /** How often a virtual agent asks for jobs (virtual ms); default scales with fleet size and speed so polls stay near 200 per real second. */
  jobPollMs?: number;
  /** Stops virtual agents from fetching jobs. */
  noJobs?: boolean;
  /** Time between a virtual agent's heartbeats (default: the agent's minute); longer runs lighter, readiness needs one an hour. */
  heartbeatMs?: number;
  onProgress?: (progress: SimulationProgress) => void;
  /** Called once the fleet is registered, before virtual time starts (tests queue jobs here). */
  onRegistered?: (machines: { computer: string; osType: 'Windows' | 'Linux' }[]) => void;
  /** The virtual clock to run on (default: a new one at `startMs`, which it replaces); a test shares it with the server, whose Clock it is too. */
  clock?: VirtualClock;
  /**
   * Moves virtual time instead of pacing it by `speed` (tests: step it, wait for the fleet to be
   * idle, restart the server meanwhile); the simulation ends when it resolves.
   */
  drive?: (fleet: FleetDriver) => Promise<void>;
  log?: (message: string) => void;
}

/** What `drive` gets: the clock to advance and ways to wait for the fleet. */
export interface FleetDriver {
  clock: VirtualClock;
  machines: { computer: string; osType: 'Windows' | 'Linux' }[];
  /** Resolves once no job call (poll, progress, completion) is in flight. */
  idle(): Promise<void>;
  /** Spools what the machines produced so far and resolves true once the server took all of it (false after `timeoutMs`). */
  deliver(timeoutMs: number): Promise<boolean>;
  /** Job calls made so far. */
  readonly jobCalls: number;
}

export interface SimulationProgress {
  simulatedMs: number;
  durationMs: number;
  recordsProduced: number;
  stats: SenderStats;
}

export interface SimulationSummary {
  machines: { windows: number; linux: number };
  heartbeats: number;
  assessments: number;
  failedAssessments: number;
  /** Windows rescans after the 15-minute check saw a new install time. */
  installTimeRescans: number;
  /** Jobs run, by outcome. */
  jobsCompleted: Partial<Record<JobCompletion['status'], number>>;
  reboots: number;
  recordsProduced: number;
  recordsByTable: Record<string, number>;
  stats: SenderStats;
  /** Batches still spooled at the end (the server did not take them in time). */
  undelivered: number;
  realMs: number;
}

interface VirtualMachine {
  agent: Agent;
  rebooter: SimulatedRebooter;
  startOffsetMs: number;
}

interface FleetContext {
  catalogue: readonly CatalogueUpdate[];
  clock: VirtualClock;
  sink: RecordSink;
  rates: FleetRates;
  workspaceId: string;
  startMs: number;
  heartbeatMs?: number;
  /** Absent: no job polling. */
  jobs?: { transport: JobTransport; pollIntervalMs: number; agentIds: Map<string, string> };
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const startMs = options.clock?.now().getTime() ?? options.startMs ?? Math.floor((Date.now() - options.durationMs) / 60_000) * 60_000;
  const endMs = startMs + options.durationMs;
  const rng = new Prng(options.seed);
  const sampleMachines = buildMachines(options.machines, Math.ceil(options.durationMs / 60_000), rng.fork('machines'));
  const catalogue = [...windowsCatalogue(new Date(startMs), rng.fork('windows')), ...linuxCatalogue(new Date(startMs), rng.fork('linux'))];
  const spoolDir = options.spoolDir ?? mkdtempSync(join(tmpdir(), 'upkeep-simulate-'));
  const client = new UpkeepClient({ maxSockets: 8, ...options.endpoint });
  const spool = new Spool(spoolDir, { warn: log, maxBatches: 100_000 });
  const sender = new Sender(spool, client, { concurrency: 4, log, backoffBaseMs: 500, backoffMaxMs: 30_000 });
  const batcher = new Batcher(spool, { maxRecords: options.batchRecords ?? 1000, flushIntervalMs: 250, onSpooled: () => sender.notify() });
  const recordsByTable: Record<string, number> = {};
  const countingSink: RecordSink = {
    add: (table: AgentTable, records: readonly LogRecord[]) => {
      recordsByTable[table] = (recordsByTable[table] ?? 0) + records.length;
      batcher.add(table, records);
    },
  };
  const clock = options.clock ?? new VirtualClock(startMs);
  const realStart = Date.now();
  try {
    const agentIds = await registerAll(client, sampleMachines);
    const registered = sampleMachines.map((m) => ({ computer: m.computer, osType: m.os.osType }));
    options.onRegistered?.(registered);
    const jobTransport = new TrackedJobTransport(client);
    const pollIntervalMs = options.jobPollMs ?? Math.max(60_000, options.machines * options.speed * 5);
    const context: FleetContext = {
      catalogue, clock, sink: countingSink, rates: options.rates ?? defaultRates, workspaceId: options.endpoint.workspaceId, startMs,
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      ...(options.noJobs ? {} : { jobs: { transport: jobTransport, pollIntervalMs, agentIds } }),
    };
    const fleet = sampleMachines.map((machine) => virtualMachine(machine, context, rng.fork(`m${machine.index}`)));
    sender.start();
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // every virtual agent listens on the one signal
    const running = fleet.map(async ({ agent, startOffsetMs }) => {
      await sleepUntil(clock, startMs + startOffsetMs, controller.signal).catch(() => undefined);
      if (!controller.signal.aborted) await agent.run(controller.signal);
    });
    const progress = () => options.onProgress?.({ simulatedMs: clock.now().getTime() - startMs, durationMs: options.durationMs, recordsProduced: batcher.recordsAdded, stats: sender.stats });
    if (options.drive) {
      const deliver = (timeoutMs: number) => {
        batcher.flush();
        return sender.drain(timeoutMs);
      };
      await options.drive({ clock, machines: registered, idle: () => jobTransport.idle(), deliver, get jobCalls() { return jobTransport.calls; } });
    }
    while (!options.drive && clock.now().getTime() < endMs && !sender.stopped) {
      const target = Math.min(endMs, startMs + (Date.now() - realStart) * options.speed);
      await clock.advanceTo(target);
      progress();
      if (target < endMs) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    controller.abort();
    await Promise.all(running);
    batcher.close();
    await sender.drain(60_000);
    progress();
    if (sender.stopped) throw sender.stopped;
    await sender.stop();
    const counters = fleet.map((m) => m.agent.counters);
    const sum = (key: 'heartbeats' | 'assessments' | 'failedAssessments' | 'installTimeRescans') => counters.reduce((total, c) => total + c[key], 0);
    const jobsCompleted: Partial<Record<JobCompletion['status'], number>> = {};
    for (const c of counters) for (const [status, n] of Object.entries(c.jobsCompleted) as [JobCompletion['status'], number][]) jobsCompleted[status] = (jobsCompleted[status] ?? 0) + n;
    const windows = sampleMachines.filter((m) => m.os.osType === 'Windows').length;
    return {
      machines: { windows, linux: sampleMachines.length - windows },
      heartbeats: sum('heartbeats'),
      assessments: sum('assessments'),
      failedAssessments: sum('failedAssessments'),
      installTimeRescans: sum('installTimeRescans'),
      jobsCompleted,
      reboots: fleet.reduce((total, m) => total + m.rebooter.reboots, 0),
      recordsProduced: batcher.recordsAdded,
      recordsByTable,
      stats: sender.stats,
      undelivered: spool.batchCount,
      realMs: Date.now() - realStart,
    };
  } finally {
    batcher.close();
    await sender.stop();
    client.close();
    if (!options.spoolDir && spool.batchCount === 0) rmSync(spoolDir, { recursive: true, force: true });
  }
}

/** Computer → agent id. */
async function registerAll(client: UpkeepClient, machines: readonly SampleMachine[]): Promise<Map<string, string>> {
  // The client's connection pool bounds how many registrations are in flight.
  const results = await Promise.all(machines.map((m) => client.register({ machineId: m.sourceComputerId, fqdn: m.computer, osType: m.os.osType })));
  return new Map(machines.map((m, i) => [m.computer, results[i]?.agentId ?? '']));
}

function virtualMachine(machine: SampleMachine, context: FleetContext, rng: Prng): VirtualMachine {
  const { catalogue, clock, sink, rates, workspaceId, startMs, jobs, heartbeatMs } = context;
  const state = new PatchState(machine, catalogue.filter((u) => u.family === machine.os.family), rng.fork('patch'), rates, startMs);
  const windows = machine.os.osType === 'Windows';
  const identity = simulatedIdentity(machine, workspaceId);
  const packageManager = new SimulatedPackageManager(state, clock);
  const assessor = windows ? new SimulatedWindowsUpdate(state) : linuxAssessor(packageManager);
  const installer = windows ? new SimulatedWindowsInstaller(state, clock) : packageManagerInstaller(packageManager);
  const rebooter = new SimulatedRebooter(state, clock);
  const agentRng = rng.fork('agent');
  const agentJobs: AgentJobOptions | undefined = jobs
    ? { transport: jobs.transport, agentId: jobs.agentIds.get(machine.computer) ?? '', installer, rebooter, waitSeconds: 0, pollIntervalMs: jobs.pollIntervalMs }
    : undefined;
  // Assessment failures are part of the simulation: counted, not logged line by line.
  const schedule = { ...(windows ? windowsSchedule : linuxSchedule), ...(heartbeatMs !== undefined ? { heartbeatMs } : {}) };
  const agent = new Agent({ identity, assessor, sink, clock, schedule, random: () => agentRng.next(), log: () => undefined, ...(agentJobs ? { jobs: agentJobs } : {}) });
  return { agent, rebooter, startOffsetMs: machine.heartbeatSecond * 1000 };
}

/** The identity a simulated machine reports, as a real agent on that OS would fill it. */
export function simulatedIdentity(machine: SampleMachine, workspaceId: string): MachineIdentity {
  return {
    computer: machine.computer,
    sourceComputerId: machine.sourceComputerId,
    osType: machine.os.osType,
    osName: machine.os.osName,
    osMajorVersion: machine.os.osMajorVersion,
    osMinorVersion: machine.os.osMinorVersion,
    osVersion: machine.os.osVersion,
    osFullName: machine.os.osFullName,
    computerIp: machine.ip,
    privateIps: [machine.ip],
    agentVersion: machine.os.agentVersion,
    vmUuid: machine.vmUuid,
    managementGroupName: `AOI-${workspaceId}`,
    sourceSystem: machine.os.osType === 'Windows' ? 'OpsManager' : 'Linux',
  };
}
