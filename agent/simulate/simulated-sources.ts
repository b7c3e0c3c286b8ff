/**
 * What the virtual machines assess against: a simulated package manager for Linux (behind
 * the same PackageManager interface as apt, dnf and zypper, so the Linux assessment path is
 * the real one) and a simulated Windows Update / WSUS client.
 */
import type { CatalogueUpdate } from '../../samples/catalogue-types.js';
import type { AssessedUpdate, AssessmentResult, Assessor } from '../assessment.js';
import { sleep, type Clock } from '../../contracts/clock.js';
import type { UpdateInstaller, UpdateInstallOutcome } from '../jobs/installer.js';
import type { RebootOutcome, Rebooter } from '../jobs/rebooter.js';
import type { AvailableUpdate, InstallResult, LinuxClassification, PackageManager, PackageToInstall } from '../package-managers/types.js';
import type { PatchState } from './patch-state.js';

const minuteMs = 60_000;

const nsPerMs = 1_000_000n;

export class SimulatedPackageManager implements PackageManager {
  readonly name = 'simulated';

  constructor(private readonly state: PatchState, private readonly clock: Clock) {}

  async detect(): Promise<boolean> {
    return true;
  }

  async assess(): Promise<AvailableUpdate[]> {
    this.state.assessAt(this.clock.now().getTime());
    return this.state.missing.map((u) => ({
      name: u.product,
      arch: u.productArch,
      currentVersion: '',
      candidateVersion: u.productVersion,
      repository: u.packageRepository,
      classification: u.classification as LinuxClassification,
      severity: u.packageSeverity,
      cves: u.cveNumbers === '' ? [] : u.cveNumbers.split(','),
      advisories: [],
    }));
  }

  async rebootRequired(): Promise<boolean> {
    return this.state.restartPending;
  }

  /** Each package takes its catalogue install time on the virtual clock; some installs fail. */
  async install(packages: readonly PackageToInstall[]): Promise<InstallResult[]> {
    const results: InstallResult[] = [];
    for (const pkg of packages) {
      const u = this.state.find({ product: pkg.name, productArch: pkg.arch });
      if (!u || u.productVersion !== pkg.version) {
        results.push({ package: pkg, status: 'Failed', errorResult: `version ${pkg.version} of ${pkg.name} is no longer in the configured repositories: the next assessment reports the current candidate` });
        continue;
      }
      await sleep(this.clock, u.installMinutes * minuteMs);
      const outcome = this.state.install(u, this.clock.now().getTime());
      results.push({ package: pkg, ...outcome });
    }
    return results;
  }
}

/** Windows Update installing one update for a deployment, on the virtual clock. */
export class SimulatedWindowsInstaller implements UpdateInstaller {
  constructor(private readonly state: PatchState, private readonly clock: Clock) {}

  async install(update: AssessedUpdate): Promise<UpdateInstallOutcome> {
    const u = this.state.find({ updateId: update.updateId, product: update.product, productArch: update.productArch });
    if (!u) return { status: 'Failed', errorResult: `0x80240024 (WU_E_NO_UPDATE): KB${update.kbid ?? '?'} is no longer applicable to this machine` };
    await sleep(this.clock, u.installMinutes * minuteMs);
    return this.state.install(u, this.clock.now().getTime());
  }
}

/** A virtual reboot: a few minutes of virtual time, then no restart is pending. */
export class SimulatedRebooter implements Rebooter {
  reboots = 0;

  constructor(private readonly state: PatchState, private readonly clock: Clock) {}

  async reboot(): Promise<RebootOutcome> {
    await sleep(this.clock, 3 * minuteMs);
    this.state.reboot();
    this.reboots++;
    return { rebooted: true, message: 'rebooted' };
  }
}

export class SimulatedWindowsUpdate implements Assessor {
  constructor(private readonly state: PatchState) {}

  async restartPending(): Promise<boolean> {
    return this.state.restartPending;
  }

  /** What the agent's 15-minute check reads (Windows keeps the last successful install time). */
  async lastInstallTime(nowMs: number): Promise<number | undefined> {
    this.state.advance(nowMs);
    return this.state.lastInstallMs ?? 0;
  }

  async assess(nowMs: number): Promise<AssessmentResult> {
    this.state.assessAt(nowMs);
    const { machine } = this.state;
    return {
      updates: this.state.missing.map((u) => this.row(u)),
      restartPending: this.state.restartPending,
      windows: {
        windowsUpdateSetting: machine.windowsUpdateSetting,
        wsusServer: machine.wsusServer,
        windowsUpdateAgentVersion: `7.6.7600.${256 + (machine.index % 64)}`,
        netRuntimeVersion: '4.8.04161',
      },
    };
  }

  private row(u: CatalogueUpdate): AssessedUpdate {
    const wsus = this.state.machine.wsusServer !== '';
    return {
      title: u.title,
      product: u.product,
      productArch: '',
      productVersion: '',
      classification: u.classification,
      kbid: u.kbid,
      updateId: u.updateId,
      revisionNumber: '200',
      msrcSeverity: u.msrcSeverity,
      optional: u.optional,
      approved: this.state.approved(u),
      approvalSource: wsus ? 'WSUS' : 'Microsoft Update',
      publishedMs: Number(u.publishedNs / nsPerMs),
      rebootBehavior: u.rebootBehavior,
    };
  }
}
