/** What every package manager (apt, dnf/yum, zypper, and the simulator's) offers the agent. */

export type LinuxClassification = 'Critical Updates' | 'Security Updates' | 'Other Updates';

/** One package with a newer version available. */
export interface AvailableUpdate {
  name: string;
  arch: string;
  /** Installed version, when the tool says ("" for a package a dist-upgrade newly installs). */
  currentVersion: string;
  candidateVersion: string;
  /** Where the candidate comes from (apt: origin:version/suite; dnf: repo id; zypper: repository alias). */
  repository: string;
  classification: LinuxClassification;
  /** The distribution's severity of the fix, when known (e.g. Important, moderate). */
  severity: string;
  /** CVE ids, when the tool knows them. */
  cves: string[];
  /** Advisory ids (RHSA-…, SUSE-…), when known. */
  advisories: string[];
}

/** One package to bring to `version` (the candidate an assessment reported). */
export interface PackageToInstall {
  name: string;
  /** "" or "all"/"noarch" when the package is architecture-independent. */
  arch: string;
  version: string;
}

/**
 * Failed: the package manager refused before changing anything (not found, version gone,
 * lock held, dependencies, download) — fix the cause and run again. InstallFailed: the
 * installation itself ran and broke (dpkg/rpm scriptlet or transaction error) — the machine
 * may need repair (e.g. `dpkg --configure -a`).
 */
export interface InstallResult {
  package: PackageToInstall;
  status: 'Succeeded' | 'Failed' | 'InstallFailed';
  /** Why it failed, in words an operator can act on. */
  errorResult?: string;
  /** The tool said a reboot is needed to finish (zypper exit 102). */
  rebootRequired?: boolean;
}

export interface PackageManager {
  readonly name: string;
  /** True when this package manager is the machine's. */
  detect(): Promise<boolean>;
  /** Every available update, classified. Throws PackageManagerError naming the failing command. */
  assess(): Promise<AvailableUpdate[]>;
  /** The distribution's own "a reboot is needed" signal. */
  rebootRequired(): Promise<boolean>;
  /** Upgrades each package to its version, one command per package, in order; never throws for a package's failure. */
  install(packages: readonly PackageToInstall[]): Promise<InstallResult[]>;
}

export function update(fields: Partial<AvailableUpdate> & Pick<AvailableUpdate, 'name' | 'candidateVersion'>): AvailableUpdate {
  return { arch: '', currentVersion: '', repository: '', classification: 'Other Updates', severity: '', cves: [], advisories: [], ...fields };
}
