/**
 * One virtual machine's patch state as simulated time passes: which catalogue updates it
 * misses, what automatic updates install (some fail; updates not yet approved on a WSUS
 * server never install), and whether a restart is pending after an install.
 */
import type { CatalogueUpdate } from '../../samples/catalogue-types.js';
import type { SampleMachine } from '../../samples/fleet-machines.js';
import type { Prng } from '../../samples/prng.js';

export interface FleetRates {
  /** Share of install attempts that fail (the update stays missing). */
  installFailureRate: number;
  /** Share of assessments that fail (no records; the agent logs it). */
  assessmentFailureRate: number;
  /** Per operating system, in place of installFailureRate (e.g. a bad Windows patch month). */
  installFailureRateByOs?: Partial<Record<'Windows' | 'Linux', number>>;
}

export const defaultRates: FleetRates = { installFailureRate: 0.05, assessmentFailureRate: 0.01 };

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A simulated installation's outcome (Windows Update result codes as Windows reports them). */
export interface SimulatedInstallOutcome {
  status: 'Succeeded' | 'InstallFailed';
  errorResult?: string;
  rebootRequired?: boolean;
}

const windowsFailures = [
  '0x80070643 (ERROR_INSTALL_FAILURE): the installation failed; look at C:\\Windows\\Logs\\CBS\\CBS.log, repair with `DISM /Online /Cleanup-Image /RestoreHealth`, then run the deployment again',
  '0x800F0922 (CBS_E_INSTALLERS_FAILED): the system reserved partition is too small or a VPN blocks the servicing stack; free space on it and run the deployment again',
  '0x80240022 (WU_E_ALL_UPDATES_FAILED): Windows Update could not install; restart the machine and run the deployment again',
];
const linuxFailures = [
  'dpkg failed while installing: error processing package (--configure): installed post-installation script subprocess returned error exit status 1; run `dpkg --configure -a` and look at /var/log/dpkg.log on the machine',
  'the rpm transaction check failed (file conflicts with another package): resolve the conflict on the machine and run the deployment again',
];

export class PatchState {
  readonly missing: CatalogueUpdate[];
  restartPending: boolean;
  /** When updates were last installed (automatically or by a deployment); Windows rescans when it moves. */
  lastInstallMs: number | undefined;
  private rebootAt = Infinity;
  private lastSeen: number;
  private readonly autoInstalls: boolean;

  constructor(readonly machine: SampleMachine, applicable: readonly CatalogueUpdate[], private readonly rng: Prng, private readonly rates: FleetRates, startMs: number) {
    this.missing = applicable.filter((u) => rng.next() < u.share && rng.next() < Math.max(machine.patchLag, 0.3));
    this.restartPending = machine.restartPending;
    if (this.restartPending) this.rebootAt = startMs + rng.int(1, 48) * hourMs;
    this.lastSeen = startMs;
    this.autoInstalls = machine.os.osType === 'Windows' ? machine.windowsUpdateSetting === 'Automatic' : rng.chance(0.4);
  }

  /** Brings the state to `nowMs`: automatic updates install, a scheduled reboot happens. */
  advance(nowMs: number): void {
    const days = Math.max(0, nowMs - this.lastSeen) / dayMs;
    this.lastSeen = Math.max(this.lastSeen, nowMs);
    if (nowMs >= this.rebootAt) {
      this.restartPending = false;
      this.rebootAt = Infinity;
    }
    if (this.autoInstalls && days > 0) this.installSome(nowMs, Math.min(1, days * 0.6));
  }

  /** Brings the state to `nowMs`; throws when this assessment is one of the simulated failures. */
  assessAt(nowMs: number): void {
    this.advance(nowMs);
    if (this.rng.chance(this.rates.assessmentFailureRate)) {
      throw new Error(this.machine.os.osType === 'Windows'
        ? 'Windows Update search failed with 0x8024402C (WU_E_PT_WINHTTP_NAME_NOT_RESOLVED): the update server could not be resolved'
        : 'package manager lock held by another process; assessment skipped');
    }
  }

  /** Whether this machine may install the update: WSUS-managed machines only get approved ones. */
  approved(u: CatalogueUpdate): boolean {
    return !(this.machine.wsusServer !== '' && u.wsusHeld);
  }

  /** A deployment installs `u` (WSUS approval is checked by the agent before it gets here). */
  install(u: CatalogueUpdate, nowMs: number): SimulatedInstallOutcome {
    if (this.rng.chance(this.installFailureRate)) {
      return { status: 'InstallFailed', errorResult: this.rng.pick(this.machine.os.osType === 'Windows' ? windowsFailures : linuxFailures) };
    }
    const index = this.missing.indexOf(u);
    if (index >= 0) this.missing.splice(index, 1);
    this.lastInstallMs = nowMs;
    const rebootRequired = u.rebootBehavior !== 'neverreboots';
    if (rebootRequired) this.restartPending = true; // stays until the deployment (or the administrator) reboots
    return { status: 'Succeeded', ...(rebootRequired ? { rebootRequired } : {}) };
  }

  private get installFailureRate(): number {
    return this.rates.installFailureRateByOs?.[this.machine.os.osType] ?? this.rates.installFailureRate;
  }

  reboot(): void {
    this.restartPending = false;
    this.rebootAt = Infinity;
  }

  /** The missing update a scan reported, found again by its id (Windows) or package and architecture (Linux). */
  find(key: { updateId?: string | undefined; product: string; productArch: string }): CatalogueUpdate | undefined {
    return this.missing.find((u) => (key.updateId ? u.updateId === key.updateId : u.product === key.product && u.productArch === key.productArch));
  }

  private installSome(nowMs: number, probability: number): void {
    for (let i = this.missing.length - 1; i >= 0; i--) {
      const u = this.missing[i];
      if (!u || u.optional || !this.approved(u) || !this.rng.chance(probability)) continue;
      if (this.rng.chance(this.installFailureRate)) continue;
      this.missing.splice(i, 1);
      this.lastInstallMs = nowMs;
      if (u.rebootBehavior !== 'neverreboots' && !this.restartPending) {
        this.restartPending = true;
        this.rebootAt = nowMs + this.rng.int(1, 24) * hourMs;
      }
    }
  }
}
