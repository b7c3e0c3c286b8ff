/**
 * zypper (SUSE, openSUSE): `list-updates` lists the package updates; security patches come
 * from `list-patches --category security` (severity, and CVEs with `--cve`), and the packages
 * each patch fixes from `info -t patch` (its "Conflicts" list: the versions it replaces).
 * zypper's exit codes 100–103 report information (updates, security updates, reboot or
 * restart needed), not failures.
 */
import { existsSync } from 'node:fs';
import { installEach, runInstall } from './install-outcome.js';
import { commandExists, runCommand } from './run-command.js';
import { update, type AvailableUpdate, type InstallResult, type PackageManager, type PackageToInstall } from './types.js';
import { parseZypperInstall, zypperInstallCommand } from './zypper-install.js';

/** Rows of a zypper table (`a | b | c` with a header line and a `---+---` rule) keyed by header. */
export function parseZypperTable(output: string): Record<string, string>[] {
  const lines = output.split('\n');
  const rule = lines.findIndex((line) => /^-+(\+-+)+\s*$/.test(line));
  if (rule < 1) return [];
  const headers = (lines[rule - 1] ?? '').split('|').map((h) => h.trim());
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(rule + 1)) {
    if (!line.includes('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    rows.push(Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
  }
  return rows;
}

export function parseListUpdates(output: string): AvailableUpdate[] {
  return parseZypperTable(output).map((row) =>
    update({
      name: row.Name ?? '',
      arch: row.Arch ?? '',
      currentVersion: row['Current Version'] ?? '',
      candidateVersion: row['Available Version'] ?? '',
      repository: row.Repository ?? '',
    }),
  );
}

export interface SecurityPatch {
  name: string;
  severity: string;
  summary: string;
}

export function parseSecurityPatches(output: string): SecurityPatch[] {
  return parseZypperTable(output)
    .filter((row) => (row.Category ?? '') === 'security' && !['applied', 'not needed'].includes(row.Status ?? ''))
    .map((row) => ({ name: row.Name ?? '', severity: row.Severity ?? '', summary: row.Summary ?? '' }));
}

/** `list-patches --cve`: rows of Issue (cve) | No. (CVE id) | Patch … → patch name → CVEs. */
export function parsePatchCves(output: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const row of parseZypperTable(output)) {
    const id = row['No.'] ?? '';
    const patch = row.Patch ?? '';
    if (!id.startsWith('CVE-') || patch === '') continue;
    result.set(patch, [...(result.get(patch) ?? []), id]);
  }
  return result;
}

/** `info -t patch A B…`: patch name → the "name.arch" of every package in its Conflicts list. */
export function parsePatchInfo(output: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let patch = '';
  let inConflicts = false;
  for (const line of output.split('\n')) {
    const name = /^Name\s*:\s*(\S+)/.exec(line);
    if (name) {
      patch = name[1] ?? '';
      inConflicts = false;
      continue;
    }
    if (/^Conflicts\s*:/.test(line)) {
      inConflicts = true;
      continue;
    }
    if (inConflicts) {
      const entry = /^\s+(\S+)\s+<\s*\S+/.exec(line);
      if (!entry) {
        inConflicts = false;
        continue;
      }
      const packageArch = entry[1] ?? '';
      if (!packageArch.endsWith('.src')) result.set(patch, [...(result.get(patch) ?? []), packageArch]);
    }
  }
  return result;
}

/** Marks the package updates that security patches replace; a critical patch makes a Critical Update. */
export function classifyZypperUpdates(updates: AvailableUpdate[], patches: readonly SecurityPatch[], packagesByPatch: Map<string, string[]>, cvesByPatch: Map<string, string[]>): AvailableUpdate[] {
  const patchesByPackage = new Map<string, SecurityPatch[]>();
  for (const patch of patches) {
    for (const packageArch of packagesByPatch.get(patch.name) ?? []) {
      patchesByPackage.set(packageArch, [...(patchesByPackage.get(packageArch) ?? []), patch]);
    }
  }
  return updates.map((u) => {
    const found = patchesByPackage.get(`${u.name}.${u.arch}`) ?? patchesByPackage.get(`${u.name}.noarch`) ?? [];
    if (found.length === 0) return u;
    const critical = found.some((p) => p.severity === 'critical');
    return {
      ...u,
      classification: critical ? 'Critical Updates' : 'Security Updates',
      severity: critical ? 'critical' : (found[0]?.severity ?? ''),
      advisories: found.map((p) => p.name),
      cves: [...new Set(found.flatMap((p) => cvesByPatch.get(p.name) ?? []))],
    };
  });
}

export interface ZypperOptions {
  timeoutMs?: number;
  installTimeoutMs?: number;
}

const informational = [100, 101, 102, 103, 106];

export class Zypper implements PackageManager {
  readonly name = 'zypper';

  constructor(private readonly options: ZypperOptions = {}) {}

  detect(): Promise<boolean> {
    return commandExists('zypper');
  }

  async assess(): Promise<AvailableUpdate[]> {
    const run = async (args: string[]) =>
      (await runCommand('zypper', ['--non-interactive', '--no-color', ...args], { timeoutMs: this.options.timeoutMs ?? 10 * 60_000, okExitCodes: informational })).stdout;
    const updates = parseListUpdates(await run(['list-updates']));
    if (updates.length === 0) return [];
    const patches = parseSecurityPatches(await run(['list-patches', '--category', 'security']));
    if (patches.length === 0) return updates;
    const packagesByPatch = parsePatchInfo(await run(['info', '-t', 'patch', ...patches.map((p) => p.name)]));
    const cvesByPatch = parsePatchCves(await run(['list-patches', '--category', 'security', '--cve']));
    return classifyZypperUpdates(updates, patches, packagesByPatch, cvesByPatch);
  }

  /** zypper leaves /run/reboot-needed after an update that needs a reboot; `needs-rebooting` exits 102 then. */
  async rebootRequired(): Promise<boolean> {
    if (existsSync('/run/reboot-needed') || existsSync('/var/run/reboot-needed')) return true;
    try {
      return (await runCommand('zypper', ['needs-rebooting'], { timeoutMs: 60_000, okExitCodes: informational })).exitCode === 102;
    } catch {
      return false;
    }
  }

  install(packages: readonly PackageToInstall[]): Promise<InstallResult[]> {
    return installEach(packages, (pkg) => {
      const command = zypperInstallCommand(pkg);
      return runInstall(pkg, command, this.options.installTimeoutMs ?? 30 * 60_000, (result) => parseZypperInstall(pkg, command, result));
    });
  }
}
