/** Rollout rings: machines split in order by percentages, and when a ring's failures stop the rollout. */
import type { MachineRunStatus, Rollout } from '../../../contracts/updates.js';

/**
 * The ring of each machine, in order. Boundaries round up, so the first ring holds at least one
 * machine whenever there are machines (a 10% canary of 5 machines is 1 machine, not 0).
 */
export function assignRings(machineCount: number, rollout: Rollout | undefined): number[] {
  const percents = rollout && rollout.ringPercents.length > 0 ? rollout.ringPercents : [100];
  const rings: number[] = [];
  let cumulative = 0;
  for (const [ring, percent] of percents.entries()) {
    cumulative += percent;
    const end = ring === percents.length - 1 ? machineCount : Math.min(machineCount, Math.ceil((machineCount * cumulative) / 100 - 1e-9));
    while (rings.length < end) rings.push(ring);
  }
  return rings;
}

export function ringCountOf(rollout: Rollout | undefined): number {
  return rollout && rollout.ringPercents.length > 0 ? rollout.ringPercents.length : 1;
}

const failedStatuses: readonly MachineRunStatus[] = ['Failed', 'FailedToStart'];

/** The percentage of a ring's machines that failed (did not start, or failed an update). */
export function failedPercent(statuses: readonly MachineRunStatus[]): number {
  if (statuses.length === 0) return 0;
  return (100 * statuses.filter((s) => failedStatuses.includes(s)).length) / statuses.length;
}

/** Whether the next ring must not start: more than the threshold failed. */
export function ringStopsRollout(statuses: readonly MachineRunStatus[], rollout: Rollout | undefined): boolean {
  return rollout !== undefined && failedPercent(statuses) > rollout.failureThresholdPercent;
}
