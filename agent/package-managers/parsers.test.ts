/** Each package-manager parser on recorded outputs of the real tools (fixtures/). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAptSimulation } from './apt.js';
import { classifyRpmUpdates, parseCheckUpdate, parseUpdateInfo } from './dnf.js';
import { classifyZypperUpdates, parseListUpdates, parsePatchCves, parsePatchInfo, parseSecurityPatches } from './zypper.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('apt', () => {
  it('reads every Inst line of a Debian 12 dist-upgrade (recorded on this project machine)', () => {
    const text = fixture('apt-debian12-dist-upgrade.txt');
    const updates = parseAptSimulation(text);
    expect(updates).toHaveLength(text.split('\n').filter((l) => l.startsWith('Inst ')).length);
    expect(updates.find((u) => u.name === 'login')).toMatchObject({
      currentVersion: '1:4.13+dfsg1-1+deb12u1', candidateVersion: '1:4.13+dfsg1-1+deb12u2', arch: 'amd64',
      repository: 'Debian:12.15/oldstable', classification: 'Other Updates',
    });
    // Trailing "[perl:amd64 ]" (packages broken meanwhile) does not leak into the fields.
    expect(updates.find((u) => u.name === 'libperl5.36')).toMatchObject({ candidateVersion: '5.36.0-7+deb12u3', arch: 'amd64' });
  });

  it('classifies candidates from a *-security suite as Security Updates, whichever release is listed first', () => {
    const updates = parseAptSimulation(fixture('apt-ubuntu2204-dist-upgrade.txt'));
    const byName = (name: string, arch = 'amd64') => updates.find((u) => u.name === name && u.arch === arch);
    expect(updates).toHaveLength(13);
    expect(byName('libssl3')).toMatchObject({ classification: 'Security Updates', repository: 'Ubuntu:22.04/jammy-security', candidateVersion: '3.0.2-0ubuntu1.16' });
    expect(byName('libssl3', 'i386')).toMatchObject({ classification: 'Security Updates' });
    // A package the upgrade newly installs has no current version.
    expect(byName('linux-image-5.15.0-113-generic')).toMatchObject({ currentVersion: '', candidateVersion: '5.15.0-113.123' });
    expect(byName('tzdata', 'all')).toMatchObject({ classification: 'Other Updates', repository: 'Ubuntu:22.04/jammy-updates' });
    expect(updates.filter((u) => u.classification === 'Security Updates')).toHaveLength(10);
  });

  it('reads Debian security suites', () => {
    const updates = parseAptSimulation(fixture('apt-debian12-security.txt'));
    expect(updates.map((u) => [u.name, u.classification, u.repository])).toEqual([
      ['libssl3', 'Security Updates', 'Debian-Security:12/stable-security'],
      ['openssl', 'Security Updates', 'Debian-Security:12/stable-security'],
    ]);
  });
});

describe('dnf / yum', () => {
  it('reads check-update, joining wrapped lines and stopping at Obsoleting Packages', () => {
    const updates = parseCheckUpdate(fixture('dnf-rhel9-check-update.txt'));
    expect(updates.map((u) => `${u.name}.${u.arch}`)).toEqual([
      'curl.x86_64', 'glibc.x86_64', 'glibc-common.x86_64', 'kernel.x86_64', 'libcurl.x86_64', 'openssl.x86_64',
      'openssl-libs.x86_64', 'python3-dnf-plugin-subscription-manager.x86_64', 'tzdata.noarch',
    ]);
    expect(updates.find((u) => u.name === 'python3-dnf-plugin-subscription-manager')).toMatchObject({ candidateVersion: '1.29.40-1.el9_4', repository: 'rhel-9-for-x86_64-baseos-rpms' });
    expect(updates.find((u) => u.name === 'openssl')?.candidateVersion).toBe('1:3.0.7-27.el9');
  });

  it('classifies by updateinfo advisories: Critical advisories make Critical Updates, with CVEs', () => {
    const available = parseCheckUpdate(fixture('dnf-rhel9-check-update.txt'));
    const advisories = parseUpdateInfo(fixture('dnf-rhel9-updateinfo-security.txt'));
    const cves = parseUpdateInfo(fixture('dnf-rhel9-updateinfo-security-cve.txt'));
    const updates = classifyRpmUpdates(available, advisories, cves);
    const byName = (name: string) => updates.find((u) => u.name === name);
    expect(byName('kernel')).toMatchObject({ classification: 'Critical Updates', severity: 'Critical', advisories: ['RHSA-2024:3619'], cves: ['CVE-2024-26643'] });
    expect(byName('glibc')).toMatchObject({ classification: 'Security Updates', severity: 'Important', cves: ['CVE-2024-2961', 'CVE-2024-33599'] });
    expect(byName('openssl')).toMatchObject({ classification: 'Security Updates', severity: 'Low', cves: ['CVE-2023-5678', 'CVE-2023-6129'] });
    expect(byName('tzdata')).toMatchObject({ classification: 'Other Updates', cves: [] });
    expect(updates.filter((u) => u.classification !== 'Other Updates')).toHaveLength(7);
  });

  it('reads yum (RHEL 7) output with plugin chatter and epochs', () => {
    const available = parseCheckUpdate(fixture('yum-rhel7-check-update.txt'));
    expect(available.map((u) => u.name)).toEqual(['bind-libs', 'bind-utils', 'openssl-libs', 'vim-minimal']);
    const advisories = parseUpdateInfo(fixture('yum-rhel7-updateinfo-security.txt'));
    expect(advisories.map((a) => `${a.id} ${a.name}.${a.arch}`)).toEqual([
      'RHSA-2024:1130 bind-libs.x86_64', 'RHSA-2024:1130 bind-utils.x86_64', 'RHSA-2023:7877 openssl-libs.x86_64',
    ]);
    const updates = classifyRpmUpdates(available, advisories, []);
    expect(updates.map((u) => u.classification)).toEqual(['Security Updates', 'Security Updates', 'Security Updates', 'Other Updates']);
  });
});

describe('zypper', () => {
  it('reads list-updates as a table keyed by its headers', () => {
    const updates = parseListUpdates(fixture('zypper-sles15-list-updates.txt'));
    expect(updates).toHaveLength(5);
    expect(updates[0]).toMatchObject({ name: 'curl', arch: 'x86_64', currentVersion: '8.0.1-150400.5.41.1', candidateVersion: '8.0.1-150400.5.44.1', repository: 'SLE-Module-Basesystem15-SP5-Updates' });
  });

  it('maps security patches to the packages they replace (info -t patch Conflicts) with severity and CVEs', () => {
    const patches = parseSecurityPatches(fixture('zypper-sles15-list-patches-security.txt'));
    expect(patches.map((p) => [p.name, p.severity])).toEqual([
      ['SUSE-SLE-Module-Basesystem-15-SP5-2024-1878', 'moderate'],
      ['SUSE-SLE-Module-Basesystem-15-SP5-2024-2190', 'critical'],
    ]);
    const packages = parsePatchInfo(fixture('zypper-sles15-info-patch.txt'));
    expect(packages.get('SUSE-SLE-Module-Basesystem-15-SP5-2024-1878')).toEqual(['curl.x86_64', 'libcurl-devel.x86_64', 'libcurl4.x86_64', 'libcurl4-32bit.x86_64', 'curl.noarch']);
    const cves = parsePatchCves(fixture('zypper-sles15-list-patches-cve.txt'));
    expect(cves.get('SUSE-SLE-Module-Basesystem-15-SP5-2024-2190')).toEqual(['CVE-2024-26643', 'CVE-2024-26925']);
    const updates = classifyZypperUpdates(parseListUpdates(fixture('zypper-sles15-list-updates.txt')), patches, packages, cves);
    expect(updates.map((u) => [u.name, u.classification, u.cves.join(',')])).toEqual([
      ['curl', 'Security Updates', 'CVE-2024-2398'],
      ['libcurl4', 'Security Updates', 'CVE-2024-2398'],
      ['kernel-default', 'Critical Updates', 'CVE-2024-26643,CVE-2024-26925'],
      ['timezone', 'Other Updates', ''],
      ['zypper', 'Other Updates', ''],
    ]);
  });
});
