/**
 * dnf and yum (RHEL, CentOS, Rocky, Alma, Amazon Linux, Fedora): `check-update` lists the
 * available updates (exit code 100 = some available, 0 = none); `updateinfo` says which of
 * them fix security advisories, with the advisory's severity and CVEs.
 */
import { dnfInstallCommand, parseDnfInstall } from './dnf-install.js';
import { installEach, runInstall } from './install-outcome.js';
import { commandExists, runCommand } from './run-command.js';
import { update, type AvailableUpdate, type InstallResult, type PackageManager, type PackageToInstall } from './types.js';

const versionToken = /^(\d+:)?[^\s-]+-[^\s-]+$/;
const nameArch = /^\S+\.\w+$/;

/** `name.arch  [epoch:]version-release  repo` lines; long names wrap onto the next line. */
export function parseCheckUpdate(output: string): AvailableUpdate[] {
  const updates: AvailableUpdate[] = [];
  let pending: string[] = [];
  for (const line of output.split('\n')) {
    if (/^Obsoleting Packages/.test(line)) break;
    const tokens = [...pending, ...line.trim().split(/\s+/).filter((t) => t !== '')];
    pending = [];
    if (tokens.length === 0 || !nameArch.test(tokens[0] ?? '')) continue;
    if (tokens.length < 3) {
      pending = tokens; // the rest of this entry is on the next line
      continue;
    }
    const [packageName = '', version = '', repository = ''] = tokens;
    if (tokens.length !== 3 || !versionToken.test(version)) continue;
    const dot = packageName.lastIndexOf('.');
    updates.push(update({ name: packageName.slice(0, dot), arch: packageName.slice(dot + 1), candidateVersion: version, repository }));
  }
  return updates;
}

export interface Advisory {
  id: string;
  severity: string;
  name: string;
  arch: string;
}

/** `RHSA-2024:2679 Important/Sec.  libxml2-2.9.13-6.el9_4.x86_64` (ids may be CVEs with --with-cve). */
export function parseUpdateInfo(output: string): Advisory[] {
  const advisories: Advisory[] = [];
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s+(?:(\w+)\/Sec\.|security)\s+(\S+)\s*$/.exec(line.trim());
    if (!match) continue;
    const [, id = '', severity = '', nevra = ''] = match;
    const parsed = parseNevra(nevra);
    if (parsed) advisories.push({ id, severity: severity === 'None' || severity === 'Unknown' ? '' : severity, ...parsed });
  }
  return advisories;
}

/** name-[epoch:]version-release.arch → name and arch. */
function parseNevra(nevra: string): { name: string; arch: string } | undefined {
  const dot = nevra.lastIndexOf('.');
  const withoutArch = nevra.slice(0, dot);
  const release = withoutArch.lastIndexOf('-');
  const version = withoutArch.lastIndexOf('-', release - 1);
  if (dot < 0 || release < 0 || version <= 0) return undefined;
  return { name: withoutArch.slice(0, version), arch: nevra.slice(dot + 1) };
}

const severityRank = ['', 'Low', 'Moderate', 'Important', 'Critical'];

/** Marks the updates named by security advisories; a Critical advisory makes a Critical Update. */
export function classifyRpmUpdates(updates: AvailableUpdate[], advisories: readonly Advisory[], cves: readonly Advisory[]): AvailableUpdate[] {
  const key = (name: string, arch: string) => `${name}.${arch}`;
  const byPackage = new Map<string, Advisory[]>();
  for (const advisory of advisories) byPackage.set(key(advisory.name, advisory.arch), [...(byPackage.get(key(advisory.name, advisory.arch)) ?? []), advisory]);
  const cvesByPackage = new Map<string, Set<string>>();
  for (const cve of cves) cvesByPackage.set(key(cve.name, cve.arch), (cvesByPackage.get(key(cve.name, cve.arch)) ?? new Set()).add(cve.id));
  return updates.map((u) => {
    const found = byPackage.get(key(u.name, u.arch)) ?? [];
    if (found.length === 0) return u;
    const severity = found.map((a) => a.severity).reduce((a, b) => (severityRank.indexOf(b) > severityRank.indexOf(a) ? b : a), '');
    return {
      ...u,
      classification: severity === 'Critical' ? 'Critical Updates' : 'Security Updates',
      severity,
      advisories: [...new Set(found.map((a) => a.id))],
      cves: [...(cvesByPackage.get(key(u.name, u.arch)) ?? [])],
    };
  });
}

export interface DnfOptions {
  /** 'dnf' (RHEL 8+, Fedora) or 'yum' (RHEL 7, Amazon Linux 2). */
  tool?: 'dnf' | 'yum';
  timeoutMs?: number;
  installTimeoutMs?: number;
}

export class Dnf implements PackageManager {
  readonly name: string;
  private readonly tool: 'dnf' | 'yum';

  constructor(private readonly options: DnfOptions = {}) {
    this.tool = options.tool ?? 'dnf';
    this.name = this.tool;
  }

  detect(): Promise<boolean> {
    return commandExists(this.tool);
  }

  async assess(): Promise<AvailableUpdate[]> {
    const run = (args: string[]) => runCommand(this.tool, ['-q', ...args], { timeoutMs: this.options.timeoutMs ?? 10 * 60_000, okExitCodes: [100] });
    const available = parseCheckUpdate((await run(['check-update'])).stdout);
    if (available.length === 0) return [];
    // yum spells the filter as a word and lists CVEs with `cves`; dnf uses options.
    const security = this.tool === 'yum' ? ['updateinfo', 'list', 'security'] : ['updateinfo', 'list', '--security'];
    const cves = this.tool === 'yum' ? ['updateinfo', 'list', 'cves', 'security'] : ['updateinfo', 'list', '--security', '--with-cve'];
    const advisories = parseUpdateInfo((await run(security)).stdout);
    const cveLines = parseUpdateInfo((await run(cves)).stdout).filter((a) => a.id.startsWith('CVE-'));
    return classifyRpmUpdates(available, advisories, cveLines);
  }

  /** `needs-restarting -r` exits 1 when a reboot is needed (dnf-utils / yum-utils). */
  async rebootRequired(): Promise<boolean> {
    try {
      const result = await runCommand('needs-restarting', ['-r'], { timeoutMs: 60_000, okExitCodes: [1] });
      return result.exitCode === 1;
    } catch {
      return false; // the tool is not installed: no signal
    }
  }

  install(packages: readonly PackageToInstall[]): Promise<InstallResult[]> {
    return installEach(packages, (pkg) => {
      const command = dnfInstallCommand(pkg, this.tool);
      return runInstall(pkg, command, this.options.installTimeoutMs ?? 30 * 60_000, (result) => parseDnfInstall(pkg, command, result));
    });
  }
}
