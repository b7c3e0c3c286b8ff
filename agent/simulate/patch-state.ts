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
}

export const defaultRates: FleetRates = { installFailureRate: 0.05, assessmentFailureRate: 0.01 };

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export class PatchState {
  readonly missing: CatalogueUpdate[];
  restartPending: boolean;
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

  /** Brings the state to `nowMs`; throws when this assessment is one of the simulated failures. */
  assessAt(nowMs: number): void {
    const days = Math.max(0, nowMs - this.lastSeen) / dayMs;
    this.lastSeen = nowMs;
    if (nowMs >= this.rebootAt) {
      this.restartPending = false;
      this.rebootAt = Infinity;
    }
    if (this.autoInstalls && days > 0) this.installSome(nowMs, Math.min(1, days * 0.6));
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

  private installSome(nowMs: number, probability: number): void {
    for (let i = this.missing.length - 1; i >= 0; i--) {
      const u = this.missing[i];
      if (!u || u.optional || !this.approved(u) || !this.rng.chance(probability)) continue;
      if (this.rng.chance(this.rates.installFailureRate)) continue;
      this.missing.splice(i, 1);
      if (u.rebootBehavior !== 'neverreboots' && !this.restartPending) {
        this.restartPending = true;
        this.rebootAt = nowMs + this.rng.int(1, 24) * hourMs;
      }
    }
  }
}
