/** The machines of the sample fleet: names, operating systems, agents, and how well each is kept patched. */
import { linuxProfiles, windowsProfiles, windowsServer2019Datacenter, type OsProfile } from './os-profiles.js';
import type { Prng } from './prng.js';

/** The machine every sample query that names one machine refers to. */
export const namedMachine = 'ContosoVM1.contoso.com';
export const wsusServers = ['http://wsus01.contoso.com:8530', 'http://wsus02.contoso.com:8530'] as const;

export interface SampleMachine {
  index: number;
  computer: string;
  sourceComputerId: string;
  vmUuid: string;
  os: OsProfile;
  ip: string;
  /** Second within each minute at which the agent sends its heartbeat. */
  heartbeatSecond: number;
  /** Minutes before the end of the window since the agent went silent; 0 for a connected machine. */
  silentForMinutes: number;
  /** False for a machine onboarded but never assessed. */
  assessed: boolean;
  /** Offset of the first periodic assessment from the start of the window, in minutes. */
  assessmentPhaseMinutes: number;
  /** Probability that an applicable update is still missing at the start of the window. */
  patchLag: number;
  /** Share of event-log entries that are errors (unpatched machines log more). */
  errorRate: number;
  wsusServer: string;
  windowsUpdateSetting: string;
  restartPending: boolean;
}

const windowsRoles = ['DC', 'SQL', 'APP', 'WEB', 'FS', 'RDS', 'IIS', 'EXCH', 'PRN', 'BI'];
const linuxRoles = ['web', 'db', 'cache', 'build', 'k8s-node', 'mq', 'proxy', 'log', 'api', 'vpn'];

const updateSettings = [
  ['Automatic', 70],
  ['Manual', 12],
  ['Scheduled installation', 6],
  ['Notify before installation', 6],
  ['Disabled', 6],
] as const;

/** Agents that went silent, in hours before the end of the window (clamped into the window). */
const silentHours = [5, 30, 76, 9, 52, 130];

export function buildMachines(count: number, minutes: number, rng: Prng): SampleMachine[] {
  const roleCounts = new Map<string, number>();
  const machines: SampleMachine[] = [];
  for (let index = 0; index < count; index++) {
    machines.push(index === 0 ? namedSampleMachine(rng) : randomMachine(index, rng, roleCounts));
  }
  markSilentAndUnassessed(machines, minutes, rng);
  return machines;
}

function namedSampleMachine(rng: Prng): SampleMachine {
  // Kept badly patched, WSUS-managed and noisy so that the queries naming it find rows.
  return {
    ...common(0, rng),
    computer: namedMachine,
    os: windowsServer2019Datacenter(),
    patchLag: 0.75,
    errorRate: 0.25,
    wsusServer: wsusServers[0],
    windowsUpdateSetting: 'Manual',
    restartPending: true,
  };
}

function randomMachine(index: number, rng: Prng, roleCounts: Map<string, number>): SampleMachine {
  const isWindows = rng.chance(0.45);
  const os = rng.weighted((isWindows ? windowsProfiles : linuxProfiles).map((p) => [p, p.weight] as const));
  const role = rng.pick(isWindows ? windowsRoles : linuxRoles);
  const n = (roleCounts.get(role) ?? 0) + 1;
  roleCounts.set(role, n);
  const number = String(n).padStart(2, '0');
  const computer = isWindows ? `${role}${number}.contoso.com` : `${role}-${number}.lnx.contoso.com`;
  // A minority of machines lag badly behind; they are the ones with errors in their event logs.
  const laggard = rng.chance(0.2);
  return {
    ...common(index, rng),
    computer,
    os,
    patchLag: laggard ? 0.5 + rng.next() * 0.3 : 0.05 + rng.next() * 0.2,
    errorRate: laggard ? 0.12 : 0.015,
    wsusServer: isWindows && rng.chance(0.3) ? rng.pick(wsusServers) : '',
    windowsUpdateSetting: rng.weighted(updateSettings),
    restartPending: rng.chance(0.15),
  };
}

function common(index: number, rng: Prng) {
  return {
    index,
    sourceComputerId: rng.guid(),
    vmUuid: rng.guid(),
    ip: privateIp(index),
    heartbeatSecond: rng.int(0, 59),
    silentForMinutes: 0,
    assessed: true,
    assessmentPhaseMinutes: rng.int(0, 179),
  };
}

/** Unique for up to 15 million machines. */
function privateIp(index: number): string {
  return `10.${1 + (Math.floor(index / 62500) % 250)}.${Math.floor(index / 250) % 250}.${(index % 250) + 4}`;
}

function markSilentAndUnassessed(machines: SampleMachine[], minutes: number, rng: Prng): void {
  // Machine 0 (the named one) stays connected and assessed.
  const candidates = machines.slice(1);
  const silentCount = machines.length >= 3 ? Math.max(1, Math.round(machines.length * 0.05)) : 0;
  const unassessedCount = machines.length >= 4 ? Math.max(1, Math.round(machines.length * 0.03)) : 0;
  const chosen = shuffle(candidates, rng).slice(0, silentCount + unassessedCount);
  chosen.slice(0, silentCount).forEach((machine, i) => {
    const hours = silentHours[i % silentHours.length] ?? 5;
    // Keep at least an hour of heartbeats inside the window.
    machine.silentForMinutes = Math.min(hours * 60 + rng.int(0, 59), Math.max(1, minutes - 60));
  });
  for (const machine of chosen.slice(silentCount)) machine.assessed = false;
}

function shuffle<T>(items: readonly T[], rng: Prng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
