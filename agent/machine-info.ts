/** What a heartbeat says about the machine: name, operating system, addresses. */
import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { runCommand } from './package-managers/run-command.js';

export const agentVersion = '0.1.0';

export interface MachineIdentity {
  /** FQDN. */
  computer: string;
  sourceComputerId: string;
  osType: 'Linux' | 'Windows';
  osName: string;
  osMajorVersion: string;
  osMinorVersion: string;
  /** Update.OSVersion / UpdateSummary.OsVersion. */
  osVersion: string;
  osFullName: string;
  computerIp: string;
  privateIps: string[];
  agentVersion: string;
  vmUuid: string;
  /** "AOI-<workspaceId>". */
  managementGroupName: string;
  /** "Linux" for Linux agents, "OpsManager" for Windows ones (as in the reference). */
  sourceSystem: string;
}

export type LocalMachine = Omit<MachineIdentity, 'sourceComputerId' | 'managementGroupName'>;

/** KEY=value lines, values optionally quoted (os-release(5)). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    fields[match[1] ?? ''] = (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
  }
  return fields;
}

/** OS columns from os-release: Debian "12" → 12 / "", Ubuntu "22.04" → 22 / 04. */
export function osColumns(fields: Record<string, string>): Pick<MachineIdentity, 'osName' | 'osMajorVersion' | 'osMinorVersion' | 'osVersion' | 'osFullName'> {
  const versionId = fields.VERSION_ID ?? '';
  const [major = '', minor = ''] = versionId.split('.');
  return {
    osName: fields.NAME ?? 'Linux',
    osMajorVersion: major,
    osMinorVersion: minor,
    osVersion: versionId,
    osFullName: fields.PRETTY_NAME ?? fields.NAME ?? 'Linux',
  };
}

export async function readLocalMachine(): Promise<LocalMachine> {
  const osRelease = parseOsRelease(readText('/etc/os-release') || readText('/usr/lib/os-release'));
  const privateIps = localAddresses();
  return {
    computer: await fqdn(),
    osType: 'Linux',
    ...osColumns(osRelease),
    computerIp: privateIps[0] ?? '',
    privateIps,
    agentVersion,
    vmUuid: readText('/sys/class/dmi/id/product_uuid').trim().toLowerCase(),
    sourceSystem: 'Linux',
  };
}

async function fqdn(): Promise<string> {
  try {
    const name = (await runCommand('hostname', ['-f'], { timeoutMs: 5000 })).stdout.trim();
    if (name !== '') return name;
  } catch {
    // fall back to the kernel's host name
  }
  return hostname();
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
