/**
 * zypper installs: `zypper --non-interactive update <name>[.arch]=<version>`. Exit codes
 * 102 (reboot needed) and 103 (zypper updated itself) are successes; the others are zypper's
 * documented error codes, each turned into a cause and a fix.
 */
import { classifyFailure, failed, lockHint, type FailureRule, type InstallCommand } from './install-outcome.js';
import type { CommandResult } from './run-command.js';
import type { InstallResult, PackageToInstall } from './types.js';

export function zypperInstallCommand(pkg: PackageToInstall): InstallCommand {
  const name = pkg.arch === '' || pkg.arch === 'noarch' ? pkg.name : `${pkg.name}.${pkg.arch}`;
  return {
    command: 'zypper',
    args: ['--non-interactive', '--no-color', 'update', '--auto-agree-with-licenses', `${name}=${pkg.version}`],
    env: {},
  };
}

const rebootNeeded = 102;
const zypperRestarted = 103;
/** Installed, but repositories were skipped (106) — the install itself is done. */
const reposSkipped = 106;

const exitMessages: Record<number, { status: 'Failed' | 'InstallFailed'; message: string }> = {
  5: { status: 'Failed', message: 'zypper needs root: run the agent as root' },
  7: { status: 'Failed', message: lockHint },
  104: { status: 'Failed', message: 'that version is not in the enabled repositories (replaced by a newer one, or the repository was removed): the next assessment reports the current candidate; run the deployment again after it' },
  107: { status: 'InstallFailed', message: 'the package was installed but one of its rpm scripts failed: look at /var/log/zypp/history and repair with `zypper install -f`' },
};

const zypperFailures: FailureRule[] = [
  {
    pattern: /Problem: ([^\n]+)/,
    status: 'Failed',
    message: (m) => `dependency problem (${m[1]?.trim()}): fix the dependency (or exclude the package) and run the deployment again`,
  },
  {
    pattern: /(?:Download \(curl\) error|Failed to provide Package|Valid metadata not found)[^\n]*/,
    status: 'Failed',
    message: (m) => `download failed (${m[0].trim()}): check that the machine reaches its repositories (SCC registration, proxy, mirror), then run the deployment again`,
  },
];

export function parseZypperInstall(pkg: PackageToInstall, command: InstallCommand, result: CommandResult): InstallResult {
  const { exitCode } = result;
  if (exitCode === 0 || exitCode === zypperRestarted || exitCode === reposSkipped) return { package: pkg, status: 'Succeeded' };
  if (exitCode === rebootNeeded) return { package: pkg, status: 'Succeeded', rebootRequired: true };
  const known = exitMessages[exitCode];
  if (known) {
    const detail = /^.*(?:No provider of|System management is locked|Root privileges|scriptlet failed).*$/m.exec(`${result.stderr}\n${result.stdout}`)?.[0].trim();
    return failed(pkg, known.status, `${known.message}${detail ? ` (zypper: ${detail})` : ''}`);
  }
  return classifyFailure(pkg, [command.command, ...command.args].join(' '), result, zypperFailures, /^(Problem|Error|Abort)/i);
}
