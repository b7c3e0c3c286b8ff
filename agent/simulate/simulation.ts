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
import { Agent } from '../agent.js';
import { linuxAssessor } from '../assessment.js';
import { Batcher } from '../batcher.js';
import type { MachineIdentity } from '../machine-info.js';
import type { AgentTable, LogRecord, RecordSink } from '../records.js';
import { Sender, type SenderStats } from '../sender.js';
import { Spool } from '../spool.js';
import { UpkeepClient, type ServerEndpoint } from '../transport.js';
import { defaultRates, PatchState, type FleetRates } from './patch-state.js';
import { SimulatedPackageManager, SimulatedWindowsUpdate } from './simulated-sources.js';
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
  onProgress?: (progress: SimulationProgress) => void;
  log?: (message: string) => void;
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
  recordsProduced: number;
  recordsByTable: Record<string, number>;
  stats: SenderStats;
  /** Batches still spooled at the end (the server did not take them in time). */
  undelivered: number;
  realMs: number;
}

interface VirtualMachine {
  agent: Agent;
  startOffsetMs: number;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const startMs = options.startMs ?? Math.floor((Date.now() - options.durationMs) / 60_000) * 60_000;
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
  const clock = new VirtualClock(startMs);
  const realStart = Date.now();
  try {
    await registerAll(client, sampleMachines);
    const fleet = sampleMachines.map((machine) => virtualMachine(machine, catalogue, clock, countingSink, rng.fork(`m${machine.index}`), options.rates ?? defaultRates, options.endpoint.workspaceId, startMs));
    sender.start();
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // every virtual agent listens on the one signal
    const running = fleet.map(async ({ agent, startOffsetMs }) => {
      await clock.sleepUntil(startMs + startOffsetMs, controller.signal).catch(() => undefined);
      if (!controller.signal.aborted) await agent.run(controller.signal);
    });
    const progress = () => options.onProgress?.({ simulatedMs: clock.now() - startMs, durationMs: options.durationMs, recordsProduced: batcher.recordsAdded, stats: sender.stats });
    while (clock.now() < endMs && !sender.stopped) {
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
    const sum = (key: 'heartbeats' | 'assessments' | 'failedAssessments') => counters.reduce((total, c) => total + c[key], 0);
    const windows = sampleMachines.filter((m) => m.os.osType === 'Windows').length;
    return {
      machines: { windows, linux: sampleMachines.length - windows },
      heartbeats: sum('heartbeats'),
      assessments: sum('assessments'),
      failedAssessments: sum('failedAssessments'),
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

async function registerAll(client: UpkeepClient, machines: readonly SampleMachine[]): Promise<void> {
  // The client's connection pool bounds how many registrations are in flight.
  await Promise.all(machines.map((m) => client.register({ machineId: m.sourceComputerId, fqdn: m.computer, osType: m.os.osType })));
}

function virtualMachine(machine: SampleMachine, catalogue: readonly CatalogueUpdate[], clock: VirtualClock, sink: RecordSink, rng: Prng, rates: FleetRates, workspaceId: string, startMs: number): VirtualMachine {
  const state = new PatchState(machine, catalogue.filter((u) => u.family === machine.os.family), rng.fork('patch'), rates, startMs);
  const windows = machine.os.osType === 'Windows';
  const identity: MachineIdentity = {
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
    sourceSystem: windows ? 'OpsManager' : 'Linux',
  };
  const assessor = windows ? new SimulatedWindowsUpdate(state) : linuxAssessor(new SimulatedPackageManager(state, clock));
  const agentRng = rng.fork('agent');
  // Assessment failures are part of the simulation: counted, not logged line by line.
  const agent = new Agent({ identity, assessor, sink, clock, random: () => agentRng.next(), log: () => undefined });
  return { agent, startOffsetMs: machine.heartbeatSecond * 1000 };
}
