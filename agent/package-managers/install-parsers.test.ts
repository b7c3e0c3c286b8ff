/** Install command construction and outcome parsing, on outputs kept in fixtures/ (apt ones recorded on this machine). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aptInstallCommand, parseAptInstall } from './apt-install.js';
import { dnfInstallCommand, parseDnfInstall } from './dnf-install.js';
import type { InstallCommand } from './install-outcome.js';
import type { CommandResult } from './run-command.js';
import type { InstallResult, PackageToInstall } from './types.js';
import { parseZypperInstall, zypperInstallCommand } from './zypper-install.js';

interface Recorded extends CommandResult {
  command: string;
}

function recorded(name: string): Recorded {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as Recorded;
}

type Parser = (pkg: PackageToInstall, command: InstallCommand, result: CommandResult) => InstallResult;

function outcome(parse: Parser, command: InstallCommand, pkg: PackageToInstall, fixture: string): InstallResult {
  const r = recorded(fixture);
  // The fixture was produced by exactly the command the agent builds.
  expect([command.command, ...command.args].join(' ')).toBe(r.command);
  return parse(pkg, command, r);
}

describe('apt install', () => {
  const ok: PackageToInstall = { name: 'upkeep-rec-ok', arch: 'all', version: '1.1' };

  it('builds a non-interactive --only-upgrade install of the exact version', () => {
    expect(aptInstallCommand(ok)).toEqual({
      command: 'apt-get',
      args: ['-y', '-q', '--only-upgrade', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'install', 'upkeep-rec-ok=1.1'],
      env: { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'l', APT_LISTCHANGES_FRONTEND: 'none' },
    });
    expect(aptInstallCommand({ name: 'libc6', arch: 'i386', version: '2.36-9+deb12u7' }, ['-o', 'X=1']).args).toEqual(expect.arrayContaining(['-o', 'X=1', 'libc6:i386=2.36-9+deb12u7']));
  });

  it('reads success, a vanished version, a package not installed, a held lock and a dpkg failure', () => {
    const parse = (fixture: string, pkg = ok) => outcome(parseAptInstall, aptInstallCommand(pkg), pkg, fixture);
    expect(parse('apt-install-success.json')).toEqual({ package: ok, status: 'Succeeded' });
    expect(parse('apt-install-version-not-found.json', { ...ok, version: '9.9' })).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/^version 9\.9 of upkeep-rec-ok is no longer in the configured repositories.*run the deployment again/) });
    expect(parse('apt-install-not-installed.json', { name: 'upkeep-rec-absent', arch: 'all', version: '1.1' })).toMatchObject({ status: 'Failed', errorResult: expect.stringContaining('upkeep-rec-absent is not installed on the machine') });
    expect(parse('apt-install-lock-held.json')).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/Could not get lock \/var\/lib\/dpkg\/lock-frontend.*let it finish/) });
    expect(parse('apt-install-dpkg-error.json', { name: 'upkeep-rec-bad', arch: 'all', version: '1.1' })).toMatchObject({ status: 'InstallFailed', errorResult: expect.stringMatching(/error processing package upkeep-rec-bad \(--configure\).*dpkg --configure -a/) });
  });

  it('names the exit code and the last error lines for an error it does not know', () => {
    const pkg: PackageToInstall = { name: 'x', arch: 'amd64', version: '1' };
    const result = parseAptInstall(pkg, aptInstallCommand(pkg), { exitCode: 100, stdout: 'Reading package lists...\n', stderr: 'E: Something new went wrong\n' });
    expect(result).toEqual({ package: pkg, status: 'InstallFailed', errorResult: expect.stringMatching(/failed with exit code 100: E: Something new went wrong$/) });
  });
});

describe('dnf install', () => {
  const libxml2: PackageToInstall = { name: 'libxml2', arch: 'x86_64', version: '2.9.13-6.el9_4' };

  it('builds `upgrade name-version.arch` (yum: update), keeping an epoch', () => {
    expect(dnfInstallCommand(libxml2)).toEqual({ command: 'dnf', args: ['-y', 'upgrade', 'libxml2-2.9.13-6.el9_4.x86_64'], env: {} });
    expect(dnfInstallCommand({ name: 'openssl', arch: 'x86_64', version: '1:3.0.7-27.el9' }, 'yum').args).toEqual(['-y', 'update', 'openssl-1:3.0.7-27.el9.x86_64']);
  });

  it('reads success, no match, a dependency problem and a failed scriptlet', () => {
    const parse = (fixture: string, pkg: PackageToInstall) => outcome(parseDnfInstall, dnfInstallCommand(pkg), pkg, fixture);
    expect(parse('dnf-install-success.json', libxml2).status).toBe('Succeeded');
    expect(parse('dnf-install-no-match.json', { ...libxml2, version: '2.9.13-9.el9_4' })).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/^No match for argument: libxml2-2\.9\.13-9\.el9_4\.x86_64: that version is not in the enabled repositories/) });
    expect(parse('dnf-install-depsolve.json', { name: 'openssl', arch: 'x86_64', version: '1:3.0.7-27.el9' })).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/^dependency problem \(cannot install the best update candidate for package openssl/) });
    expect(parse('dnf-install-scriptlet.json', { name: 'acme-agent', arch: 'x86_64', version: '2.4.1-1.el9' })).toMatchObject({ status: 'InstallFailed', errorResult: expect.stringMatching(/PREIN scriptlet of acme-agent failed/) });
  });
});

describe('zypper install', () => {
  it('builds a non-interactive `update name.arch=version`', () => {
    expect(zypperInstallCommand({ name: 'python3-requests', arch: 'noarch', version: '2.25.1' }).args).toEqual(['--non-interactive', '--no-color', 'update', '--auto-agree-with-licenses', 'python3-requests=2.25.1']);
  });

  it('takes 102 as success that needs a reboot, and names the cause of 104, 7 and 4', () => {
    const parse = (fixture: string, pkg: PackageToInstall) => outcome(parseZypperInstall, zypperInstallCommand(pkg), pkg, fixture);
    expect(parse('zypper-install-reboot-needed.json', { name: 'kernel-default', arch: 'x86_64', version: '5.14.21-150500.55.52.1' })).toMatchObject({ status: 'Succeeded', rebootRequired: true });
    const libxml2: PackageToInstall = { name: 'libxml2-2', arch: 'x86_64', version: '2.9.14-150400.5.99.1' };
    expect(parse('zypper-install-not-found.json', libxml2)).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/not in the enabled repositories.*\(zypper: No provider of 'libxml2-2\.x86_64=2\.9\.14-150400\.5\.99\.1' found\.\)$/) });
    expect(parse('zypper-install-locked.json', { ...libxml2, version: '2.9.14-150400.5.28.1' })).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/lock.*\(zypper: System management is locked by the application with pid 1934 \(zypper\)\.\)/) });
    expect(parse('zypper-install-problem.json', { name: 'python3-requests', arch: 'noarch', version: '2.25.1-150300.3.9.1' })).toMatchObject({ status: 'Failed', errorResult: expect.stringMatching(/^dependency problem \(the to be installed python3-requests.*requires 'python3-urllib3 >= 1\.21\.1'/) });
  });
});
