/**
 * What the virtual machines assess against: a simulated package manager for Linux (behind
 * the same PackageManager interface as apt, dnf and zypper, so the Linux assessment path is
 * the real one) and a simulated Windows Update / WSUS client.
 */
import type { CatalogueUpdate } from '../../samples/catalogue-types.js';
import type { AssessedUpdate, AssessmentResult, Assessor } from '../assessment.js';
import type { Clock } from '../clock.js';
import type { AvailableUpdate, LinuxClassification, PackageManager } from '../package-managers/types.js';
import type { PatchState } from './patch-state.js';

const nsPerMs = 1_000_000n;

export class SimulatedPackageManager implements PackageManager {
  readonly name = 'simulated';

  constructor(private readonly state: PatchState, private readonly clock: Clock) {}

  async detect(): Promise<boolean> {
    return true;
  }

  async assess(): Promise<AvailableUpdate[]> {
    this.state.assessAt(this.clock.now());
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
}

export class SimulatedWindowsUpdate implements Assessor {
  constructor(private readonly state: PatchState) {}

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
