/**
 * apt (Debian, Ubuntu): a simulated `dist-upgrade` lists what an upgrade would install, one
 * `Inst` line per package. An update is a security update when its candidate comes from a
 * `*-security` suite (the way the distributions publish security fixes).
 */
import { existsSync } from 'node:fs';
import { aptInstallCommand, parseAptInstall } from './apt-install.js';
import { installEach, runInstall } from './install-outcome.js';
import { commandExists, runCommand } from './run-command.js';
import { update, type AvailableUpdate, type InstallResult, type PackageManager, type PackageToInstall } from './types.js';

export interface AptOptions {
  /** Extra `-o` options and the like, put before the command (tests point apt at a private repository). */
  extraArgs?: readonly string[];
  /** Run `apt-get update` first (off by default: distributions refresh the lists daily themselves). */
  refreshLists?: boolean;
  rebootRequiredFile?: string;
  timeoutMs?: number;
  /** Per package install (download, unpack, configure). */
  installTimeoutMs?: number;
}

// Inst <pkg>[:arch] [<current>] (<candidate> <release>[, <release>…] [<arch>]) [broken deps]
const instLine = /^Inst (\S+?)(?::\S+)? (?:\[([^\]]*)\] )?\((\S+) (.*)\[([^\]]+)\]\)/;

export function parseAptSimulation(output: string): AvailableUpdate[] {
  const updates: AvailableUpdate[] = [];
  for (const line of output.split('\n')) {
    const match = instLine.exec(line);
    if (!match) continue;
    const [, name = '', current = '', candidate = '', releaseText = '', arch = ''] = match;
    const releases = releaseText.split(',').map((r) => r.trim()).filter((r) => r !== '');
    const securityRelease = releases.find(isSecuritySuite);
    updates.push(update({
      name,
      arch,
      currentVersion: current,
      candidateVersion: candidate,
      repository: securityRelease ?? releases[0] ?? '',
      classification: securityRelease ? 'Security Updates' : 'Other Updates',
    }));
  }
  return updates;
}

/** `Debian-Security:12/stable-security`, `Ubuntu:22.04/jammy-security` → true. */
function isSecuritySuite(release: string): boolean {
  const suite = release.slice(release.lastIndexOf('/') + 1);
  return suite.endsWith('-security');
}

export class Apt implements PackageManager {
  readonly name = 'apt';

  constructor(private readonly options: AptOptions = {}) {}

  detect(): Promise<boolean> {
    return commandExists('apt-get');
  }

  async assess(): Promise<AvailableUpdate[]> {
    const extra = this.options.extraArgs ?? [];
    const timeoutMs = this.options.timeoutMs ?? 10 * 60_000;
    if (this.options.refreshLists) await runCommand('apt-get', [...extra, '-q', 'update'], { timeoutMs });
    // -s simulates: nothing is installed and no lock is needed.
    const result = await runCommand('apt-get', [...extra, '-s', '-o', 'Debug::NoLocking=1', 'dist-upgrade'], {
      timeoutMs,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    });
    return parseAptSimulation(result.stdout);
  }

  async rebootRequired(): Promise<boolean> {
    return existsSync(this.options.rebootRequiredFile ?? '/var/run/reboot-required');
  }

  install(packages: readonly PackageToInstall[]): Promise<InstallResult[]> {
    const timeoutMs = this.options.installTimeoutMs ?? 30 * 60_000;
    return installEach(packages, (pkg) => {
      const command = aptInstallCommand(pkg, this.options.extraArgs);
      return runInstall(pkg, command, timeoutMs, (result) => parseAptInstall(pkg, command, result));
    });
  }
}
