/**
 * dnf/yum installs: `dnf upgrade -y <name>-<[epoch:]version-release>[.arch]` (yum: `update`),
 * one package at a time. An upgrade never installs a package the machine lacks.
 */
import { classifyFailure, failed, type FailureRule, type InstallCommand } from './install-outcome.js';
import type { CommandResult } from './run-command.js';
import type { InstallResult, PackageToInstall } from './types.js';

/** name-[epoch:]version-release.arch, the form dnf and yum accept for one exact package. */
export function rpmSpec(pkg: PackageToInstall): string {
  return pkg.arch === '' ? `${pkg.name}-${pkg.version}` : `${pkg.name}-${pkg.version}.${pkg.arch}`;
}

export function dnfInstallCommand(pkg: PackageToInstall, tool: 'dnf' | 'yum' = 'dnf'): InstallCommand {
  return { command: tool, args: ['-y', tool === 'yum' ? 'update' : 'upgrade', rpmSpec(pkg)], env: {} };
}

const dnfFailures: FailureRule[] = [
  {
    pattern: /(?:No match for argument|No package (\S+) available|Unable to find a match)[^\n]*/,
    status: 'Failed',
    message: (m) => `${m[0].trim()}: that version is not in the enabled repositories (replaced by a newer one, or the repository was disabled): the next assessment reports the current candidate; run the deployment again after it`,
  },
  {
    pattern: /Another app is currently holding the yum lock[^\n]*/,
    status: 'Failed',
    message: () => 'another process holds the yum lock (an automatic update or an administrator?): let it finish, then run the deployment again',
  },
  {
    pattern: /(?:Curl error|Cannot download|Failed to download|Cannot retrieve repository metadata)[^\n]*/,
    status: 'Failed',
    message: (m) => `download failed (${m[0].trim()}): check that the machine reaches its repositories (proxy, DNS, mirror, subscription), then run the deployment again`,
  },
  {
    pattern: /Error:\s*\n?\s*Problem[^:]*: ([^\n]+)/,
    status: 'Failed',
    message: (m) => `dependency problem (${m[1]?.trim()}): fix the dependency (or exclude the package) and run the deployment again`,
  },
  {
    pattern: /(?:Transaction check error|Transaction test error):?\s*\n?\s*([^\n]+)/,
    status: 'InstallFailed',
    message: (m) => `the rpm transaction check failed (${m[1]?.trim()}): resolve the conflict on the machine and run the deployment again`,
  },
  {
    pattern: /Error in (\w+) scriptlet in rpm package (\S+)/,
    status: 'InstallFailed',
    message: (m) => `the ${m[1]} scriptlet of ${m[2]} failed: the package may be half-installed; look at the dnf log (/var/log/dnf.log) and repair with \`dnf reinstall\``,
  },
  {
    pattern: /You need to be root to perform this command|This command has to be run with superuser privileges[^\n]*/,
    status: 'Failed',
    message: () => 'the package manager needs root: run the agent as root',
  },
];

export function parseDnfInstall(pkg: PackageToInstall, command: InstallCommand, result: CommandResult): InstallResult {
  if (result.exitCode === 0) {
    // `upgrade` of a package that is not installed prints this and succeeds without doing anything.
    if (/Package \S+ available, but not installed/.test(result.stdout + result.stderr)) {
      return failed(pkg, 'Failed', `${pkg.name} is not installed on the machine (removed since the assessment?): nothing to upgrade`);
    }
    return { package: pkg, status: 'Succeeded' };
  }
  return classifyFailure(pkg, [command.command, ...command.args].join(' '), result, dnfFailures, /^Error|^error:|^\s*Problem/);
}
