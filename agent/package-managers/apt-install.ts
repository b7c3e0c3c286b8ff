/**
 * apt installs: `apt-get install -y --only-upgrade <pkg>=<version>`, non-interactive (keeps
 * changed configuration files, never asks), fixed locale, bounded time. `--only-upgrade`
 * makes sure a deployment never installs a package the machine did not have.
 */
import { classifyFailure, failed, type FailureRule, type InstallCommand } from './install-outcome.js';
import type { CommandResult } from './run-command.js';
import type { InstallResult, PackageToInstall } from './types.js';

export function aptInstallCommand(pkg: PackageToInstall, extraArgs: readonly string[] = []): InstallCommand {
  // A foreign-architecture package (libc6:i386) must be named with its architecture.
  const qualified = pkg.arch === '' || pkg.arch === 'all' ? pkg.name : `${pkg.name}:${pkg.arch}`;
  return {
    command: 'apt-get',
    args: [
      ...extraArgs, '-y', '-q', '--only-upgrade',
      '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold',
      'install', `${qualified}=${pkg.version}`,
    ],
    // needrestart would otherwise prompt (Ubuntu) and apt-listchanges page the changelog.
    env: { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'l', APT_LISTCHANGES_FRONTEND: 'none' },
  };
}

const aptFailures: FailureRule[] = [
  {
    pattern: /(?:Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock the administration directory)[^\n]*/,
    status: 'Failed',
    message: (m) => `${m[0].trim()}: another process holds the package manager lock (an automatic update or an administrator?): let it finish, then run the deployment again`,
  },
  {
    pattern: /dpkg was interrupted, you must manually run '([^']+)'/,
    status: 'Failed',
    message: (m) => `dpkg was interrupted by an earlier installation: run \`${m[1] ?? 'dpkg --configure -a'}\` as root on the machine, then run the deployment again`,
  },
  {
    pattern: /Version '([^']+)' for '([^']+)' was not found/,
    status: 'Failed',
    message: (m) => `version ${m[1]} of ${m[2]} is no longer in the configured repositories (replaced by a newer one, or the package lists are stale): the next assessment reports the current candidate; run the deployment again after it`,
  },
  {
    pattern: /Packages were downgraded and -y was used without --allow-downgrades/,
    status: 'Failed',
    message: () => 'the machine already has a newer version than the one assessed (installing it would be a downgrade): nothing to do; the next assessment confirms',
  },
  {
    pattern: /Unable to locate package (\S+)/,
    status: 'Failed',
    message: (m) => `apt knows no package ${m[1]}: its repository was removed or the package lists are stale (apt-get update)`,
  },
  {
    pattern: /(?:Failed to fetch|Unable to fetch some archives)[^\n]*/,
    status: 'Failed',
    message: (m) => `download failed (${m[0].trim()}): check that the machine reaches its repositories (proxy, DNS, mirror), then run the deployment again`,
  },
  {
    pattern: /You don't have enough free space in (\S+)/,
    status: 'Failed',
    message: (m) => `not enough free space in ${m[1]}: free some space (apt-get clean) and run the deployment again`,
  },
  {
    pattern: /(?:Unmet dependencies|you have held broken packages)[^]*?\n\s*(\S+ : Depends: [^\n]+)?/,
    status: 'Failed',
    message: (m) => `dependency problem${m[1] ? ` (${m[1].trim()})` : ''}: the upgrade needs packages that cannot be installed or are held (apt-mark showhold); fix the dependency and run again`,
  },
  {
    pattern: /dpkg: error processing (?:package|archive) ([^\n]+?):?\n\s*([^\n]*)/,
    status: 'InstallFailed',
    message: (m) => `dpkg failed: error processing package ${m[1]?.trim()}${m[2] ? `: ${m[2].trim()}` : ''}; run \`dpkg --configure -a\` and look at /var/log/dpkg.log on the machine`,
  },
];

/** Exit status and output of one install → the package's outcome. */
export function parseAptInstall(pkg: PackageToInstall, command: InstallCommand, result: CommandResult): InstallResult {
  if (result.exitCode === 0) {
    if (/Skipping \S+, it is not installed and only upgrades are requested/.test(result.stdout)) {
      return failed(pkg, 'Failed', `${pkg.name} is not installed on the machine (removed since the assessment?): nothing to upgrade; the next assessment no longer lists it`);
    }
    return { package: pkg, status: 'Succeeded' };
  }
  return classifyFailure(pkg, [command.command, ...command.args].join(' '), result, aptFailures, /^(E|W): |^dpkg: /);
}
