/**
 * `upkeep agent`: wires the real machine to the agent — state directory, registration,
 * spool, sender, the machine's package manager, the job poller (update deployments install
 * through the same package manager) — and runs it, once or until stopped.
 */
import { join } from 'node:path';
import { Agent } from './agent.js';
import { loadState, saveState, type AgentState } from './agent-state.js';
import { linuxAssessor, type Assessor } from './assessment.js';
import { Batcher } from './batcher.js';
import { keepAliveSystemClock, sleep } from '../contracts/clock.js';
import { readLocalMachine, type LocalMachine, type MachineIdentity } from './machine-info.js';
import { packageManagerInstaller, type UpdateInstaller } from './jobs/installer.js';
import { SystemRebooter, type Rebooter } from './jobs/rebooter.js';
import { detectPackageManager } from './package-managers/detect.js';
import type { PackageManager } from './package-managers/types.js';
import { Sender, type SenderOptions, type SenderStats } from './sender.js';
import { Spool } from './spool.js';
import { RegistrationError, UpkeepClient, type ServerEndpoint } from './transport.js';

export interface RunAgentOptions {
  endpoint: ServerEndpoint;
  stateDir: string;
  /** Register, one heartbeat, one assessment, deliver, exit. */
  once: boolean;
  /** How long --once waits for delivery before leaving the rest in the spool. */
  drainTimeoutMs?: number;
  packageManager?: PackageManager;
  /** Let update deployments reboot the machine (`--allow-reboot`); otherwise the restart is left pending. */
  allowReboot?: boolean;
  /** Replaces the system reboot (tests). */
  rebooter?: Rebooter;
  /** Fetch and run jobs from the server (default true; not with `once`). */
  jobs?: boolean;
  /** Long-poll bound for jobs, seconds (default 30, the server's cap). */
  jobWaitSeconds?: number;
  /** Overrides what is read from the machine (tests). */
  machine?: Partial<LocalMachine>;
  sender?: SenderOptions;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export type AgentExit = 'delivered' | 'spooled' | 'stopped';

export interface RunAgentSummary {
  exit: AgentExit;
  agentId: string;
  sourceComputerId: string;
  stats: SenderStats;
  spooledBatches: number;
  /** Why delivery stopped, when it did. */
  problem?: string;
}

export async function runAgent(options: RunAgentOptions): Promise<RunAgentSummary> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const state = loadState(options.stateDir);
  const machine = { ...(await readLocalMachine()), ...options.machine };
  const client = new UpkeepClient(options.endpoint);
  try {
    const agentId = await ensureRegistered(client, state, machine, options, log);
    const identity: MachineIdentity = { ...machine, sourceComputerId: state.sourceComputerId, managementGroupName: `AOI-${options.endpoint.workspaceId}` };
    const spool = new Spool(join(options.stateDir, 'spool'), { warn: log });
    const sender = new Sender(spool, client, { log, ...options.sender });
    const batcher = new Batcher(spool, { onSpooled: () => sender.notify() });
    const packageManager = options.packageManager ?? (await detectPackageManager());
    const agent = new Agent({
      identity, assessor: machineAssessor(packageManager), sink: batcher, clock: keepAliveSystemClock, afterRecords: () => batcher.flush(), log,
      ...(options.jobs === false ? {} : {
        jobs: {
          transport: client, agentId, installer: machineInstaller(packageManager),
          rebooter: options.rebooter ?? new SystemRebooter(options.allowReboot ?? false),
          waitSeconds: Math.min(30, options.jobWaitSeconds ?? 30), pollIntervalMs: 0,
        },
      }),
    });
    sender.start();
    if (options.once) {
      agent.heartbeat();
      await agent.assess();
      await sender.drain(options.drainTimeoutMs ?? 60_000);
    } else {
      await agent.run(options.signal ?? new AbortController().signal);
      batcher.close();
      await sender.drain(options.drainTimeoutMs ?? 10_000);
    }
    await sender.stop();
    const exit: AgentExit = sender.stopped ? 'stopped' : spool.batchCount > 0 ? 'spooled' : 'delivered';
    return { exit, agentId, sourceComputerId: state.sourceComputerId, stats: sender.stats, spooledBatches: spool.batchCount, ...(sender.stopped ? { problem: sender.stopped.message } : {}) };
  } finally {
    client.close();
  }
}

const noPackageManager = 'no supported package manager (apt-get, dnf, yum, zypper) found on PATH';

function machineAssessor(packageManager: PackageManager | undefined): Assessor {
  if (!packageManager) return { assess: () => Promise.reject(new Error(noPackageManager)) };
  return linuxAssessor(packageManager);
}

function machineInstaller(packageManager: PackageManager | undefined): UpdateInstaller {
  if (!packageManager) return { install: async () => ({ status: 'Failed', errorResult: noPackageManager }) };
  return packageManagerInstaller(packageManager);
}

/**
 * Registers at every start (so a machine moved to another workspace hears about it). When the
 * server cannot be reached but the machine registered before, the agent carries on and spools;
 * a machine never registered keeps trying, except with --once.
 */
async function ensureRegistered(client: UpkeepClient, state: AgentState, machine: LocalMachine, options: RunAgentOptions, log: (m: string) => void): Promise<string> {
  const workspaceId = options.endpoint.workspaceId;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await client.register({ machineId: state.machineId, fqdn: machine.computer, osType: machine.osType });
      state.agentId = result.agentId;
      state.workspaceId = result.workspaceId;
      saveState(options.stateDir, state);
      return result.agentId;
    } catch (error) {
      if (!(error instanceof RegistrationError) || !error.retryable) throw error;
      if (state.agentId && state.workspaceId === workspaceId) {
        log(`${error.message} Continuing as agent ${state.agentId}; records are spooled until the server is reachable.`);
        return state.agentId;
      }
      if (options.once || options.signal?.aborted) throw error;
      const delay = Math.min(300_000, 5000 * 2 ** attempt) * (0.5 + Math.random() / 2);
      log(`${error.message} Retrying in ${Math.round(delay / 1000)} s.`);
      await sleep(keepAliveSystemClock, delay, options.signal);
    }
  }
}
