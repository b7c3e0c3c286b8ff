/**
 * What the agent keeps between runs, in its state directory: the machine's identity, its
 * registration, and (in spool/) the batches not yet acknowledged.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AgentState {
  /** Stable machine id sent at registration (from /etc/machine-id when there is one). */
  machineId: string;
  /** The Heartbeat/Update SourceComputerId. */
  sourceComputerId: string;
  agentId?: string;
  workspaceId?: string;
}

export const systemStateDir = '/var/lib/upkeep';

/** /var/lib/upkeep when this user may write there, else ~/.upkeep-agent. */
export function defaultStateDir(): string {
  try {
    mkdirSync(systemStateDir, { recursive: true });
    accessSync(systemStateDir, constants.W_OK);
    return systemStateDir;
  } catch {
    return join(homedir(), '.upkeep-agent');
  }
}

export function loadState(dir: string): AgentState {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'state.json');
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<AgentState>;
    if (typeof parsed.machineId === 'string' && typeof parsed.sourceComputerId === 'string') return parsed as AgentState;
    throw new Error(`${path} is not an agent state file (no machineId/sourceComputerId): move it away and the agent will register afresh.`);
  }
  const state: AgentState = { machineId: machineGuid(), sourceComputerId: randomUUID() };
  saveState(dir, state);
  return state;
}

export function saveState(dir: string, state: AgentState): void {
  const path = join(dir, 'state.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** /etc/machine-id (32 hex digits) shaped as a GUID, so a reinstalled agent is the same machine. */
function machineGuid(): string {
  try {
    const id = readFileSync('/etc/machine-id', 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  } catch {
    // no machine id: a random one, persisted
  }
  return randomUUID();
}
