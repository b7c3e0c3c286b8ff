/** Linux packages of the sample catalogue, per distribution, with versions, repositories and CVEs. */
import { msToNs, type CatalogueUpdate } from './catalogue-types.js';
import type { Prng } from './prng.js';

type Kind = 'security' | 'other';

/** [package name, upstream version, kind, architecture-independent?] */
type PackageLine = readonly [string, string, Kind, boolean?];

const debPackages: readonly PackageLine[] = [
  ['openssl', '3.0.2', 'security'],
  ['libssl3', '3.0.2', 'security'],
  ['openssh-server', '8.9p1', 'security'],
  ['openssh-client', '8.9p1', 'security'],
  ['curl', '7.81.0', 'security'],
  ['libcurl4', '7.81.0', 'security'],
  ['sudo', '1.9.9', 'security'],
  ['libc6', '2.35', 'security'],
  ['systemd', '249.11', 'security'],
  ['libxml2', '2.9.13', 'security'],
  ['zlib1g', '1.2.11.dfsg', 'security'],
  ['git', '2.34.1', 'security'],
  ['python3.10', '3.10.12', 'security'],
  ['vim', '8.2.3995', 'security'],
  ['libgnutls30', '3.7.3', 'security'],
  ['nginx', '1.18.0', 'security'],
  ['tzdata', '2024a', 'other', true],
  ['ca-certificates', '20230311', 'other', true],
  ['bash', '5.1', 'other'],
  ['apt', '2.4.12', 'other'],
  ['rsync', '3.2.7', 'other'],
  ['less', '590', 'other'],
];

const rpmPackages: readonly PackageLine[] = [
  ['openssl', '3.0.7', 'security'],
  ['openssh-server', '8.7p1', 'security'],
  ['openssh-clients', '8.7p1', 'security'],
  ['curl', '7.76.1', 'security'],
  ['libcurl', '7.76.1', 'security'],
  ['sudo', '1.9.5p2', 'security'],
  ['kernel', '5.14.0', 'security'],
  ['glibc', '2.34', 'security'],
  ['systemd', '252', 'security'],
  ['libxml2', '2.9.13', 'security'],
  ['zlib', '1.2.11', 'security'],
  ['git', '2.39.3', 'security'],
  ['python3', '3.9.18', 'security'],
  ['vim-minimal', '8.2.2637', 'security'],
  ['gnutls', '3.7.6', 'security'],
  ['tzdata', '2024a', 'other', true],
  ['ca-certificates', '2023.2.60', 'other', true],
  ['bash', '5.1.8', 'other'],
  ['dnf', '4.14.0', 'other', true],
  ['rsync', '3.2.3', 'other'],
  ['less', '590', 'other'],
  ['redhat-release', '9.4', 'other'],
];

interface Distribution {
  family: string;
  packages: readonly PackageLine[];
  arch: string;
  noarch: string;
  /** Distribution-specific version suffix for the nth update of a package. */
  version: (upstream: string, rng: Prng) => string;
  repository: (kind: Kind, name: string) => string;
  severities: readonly string[];
}

function debian(family: string, label: string, codename: string, suffix: (rng: Prng) => string, ubuntu: boolean): Distribution {
  const extra: PackageLine[] = ubuntu
    ? [['linux-image-generic', '5.15.0', 'security'], ['ubuntu-advantage-tools', '31.2', 'other']]
    : [['linux-image-amd64', '6.1.0', 'security']];
  const prefix = ubuntu ? 'Ubuntu' : 'Debian';
  return {
    family,
    packages: [...debPackages, ...extra],
    arch: 'amd64',
    noarch: 'all',
    version: (upstream, rng) => `${upstream}-${suffix(rng)}`,
    repository: (kind) => `${prefix}:${label}/${codename}-${kind === 'security' ? 'security' : 'updates'}`,
    severities: ['High', 'Medium', 'Medium', 'Low'],
  };
}

function rhel(major: string, minor: string): Distribution {
  return {
    family: `rhel-${major}`,
    packages: rpmPackages,
    arch: 'x86_64',
    noarch: 'noarch',
    version: (upstream, rng) => `${upstream}-${rng.int(1, 40)}.el${major}_${minor}`,
    repository: (_kind, name) =>
      ['git', 'python3', 'vim-minimal', 'rsync'].includes(name) ? `rhel-${major}-for-x86_64-appstream-rpms` : `rhel-${major}-for-x86_64-baseos-rpms`,
    severities: ['Important', 'Moderate', 'Moderate', 'Low'],
  };
}

const distributions: readonly Distribution[] = [
  debian('ubuntu-20.04', '20.04', 'focal', (r) => `0ubuntu${r.int(1, 3)}.${r.int(1, 25)}`, true),
  debian('ubuntu-22.04', '22.04', 'jammy', (r) => `0ubuntu${r.int(1, 3)}.${r.int(1, 25)}`, true),
  debian('debian-11', '11', 'bullseye', (r) => `${r.int(1, 3)}+deb11u${r.int(1, 9)}`, false),
  debian('debian-12', '12', 'bookworm', (r) => `${r.int(1, 3)}+deb12u${r.int(1, 9)}`, false),
  rhel('8', '9'),
  rhel('9', '4'),
  {
    family: 'sles-15',
    packages: rpmPackages.filter(([name]) => !['dnf', 'redhat-release'].includes(name)).concat([['zypper', '1.14.68', 'other']]),
    arch: 'x86_64',
    noarch: 'noarch',
    version: (upstream, rng) => `${upstream}-150500.${rng.int(1, 9)}.${rng.int(1, 40)}.1`,
    repository: (kind) => (kind === 'security' ? 'SLE-Module-Basesystem15-SP5-Updates' : 'SLE-Product-SLES15-SP5-Updates'),
    severities: ['important', 'moderate', 'moderate', 'low'],
  },
];

export function linuxCatalogue(end: Date, rng: Prng): CatalogueUpdate[] {
  return distributions.flatMap((d) => d.packages.map((line) => packageUpdate(d, line, end, rng)));
}

function packageUpdate(d: Distribution, [name, upstream, kind, noarch]: PackageLine, end: Date, rng: Prng): CatalogueUpdate {
  // A third of the security fixes are rated critical: those are the "Critical Updates".
  const critical = kind === 'security' && rng.chance(0.3);
  const severity = kind === 'other' ? '' : critical ? (d.severities[0] === 'important' ? 'critical' : 'Critical') : rng.pick(d.severities);
  const publishedMs = end.getTime() - rng.int(2, 75) * 86_400_000 - rng.int(0, 86_399) * 1000;
  const rebootNeeded = ['kernel', 'linux-image-generic', 'linux-image-amd64', 'glibc', 'libc6', 'systemd'].includes(name);
  return {
    family: d.family,
    title: name,
    kbid: '',
    updateId: rng.guid(),
    product: name,
    productArch: noarch ? d.noarch : d.arch,
    productVersion: d.version(upstream, rng),
    classification: critical ? 'Critical Updates' : kind === 'security' ? 'Security Updates' : 'Other Updates',
    msrcSeverity: '',
    optional: false,
    publishedNs: msToNs(publishedMs),
    rebootBehavior: rebootNeeded ? 'canrequestreboot' : 'neverreboots',
    packageRepository: d.repository(kind, name),
    packageSeverity: severity,
    cveNumbers: kind === 'security' ? cveList(end, rng) : '',
    share: kind === 'security' ? 0.85 : 0.7,
    wsusHeld: false,
    installMinutes: rng.int(1, 4),
  };
}

function cveList(end: Date, rng: Prng): string {
  const year = end.getUTCFullYear();
  return Array.from({ length: rng.int(1, 3) }, () => `CVE-${rng.chance(0.7) ? year : year - 1}-${rng.int(1000, 52000)}`).join(',');
}
