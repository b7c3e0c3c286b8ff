/** A machine's and a run's status, derived from the job outcomes and the per-update statuses reported. */
import type { InstallationStatus, MachineRunStatus, RunStatus } from '../../../contracts/updates.js';
import type { JobStatus } from './run-store.js';

const failedUpdate: readonly InstallationStatus[] = ['Failed', 'InstallFailed'];

export function machineStatusOf(job: JobStatus, updates: Partial<Record<InstallationStatus, number>> = {}): MachineRunStatus {
  switch (job) {
    case 'Pending':
    case 'Queued':
      return 'NotStarted';
    case 'Running':
      return 'InProgress';
    case 'Delivered':
      return 'Succeeded';
    case 'Succeeded':
      // A machine that reports success while an update failed has not succeeded.
      return failedUpdate.some((s) => (updates[s] ?? 0) > 0) ? 'Failed' : 'Succeeded';
    default:
      return job;
  }
}

const unfinished: readonly MachineRunStatus[] = ['NotStarted', 'InProgress'];

/**
 * The run's status: NotStarted until a machine starts, InProgress while any machine is unfinished,
 * then Canceled (by an operator), Failed (any machine failed or did not start), MaintenanceWindowExceeded,
 * or Succeeded.
 */
export function runStatusOf(machines: readonly MachineRunStatus[], run: { cancelRequested: boolean; started: boolean }): RunStatus {
  if (machines.some((s) => unfinished.includes(s))) {
    return run.started && machines.some((s) => s !== 'NotStarted') ? 'InProgress' : 'NotStarted';
  }
  if (run.cancelRequested) return 'Canceled';
  if (machines.some((s) => s === 'Failed' || s === 'FailedToStart')) return 'Failed';
  if (machines.some((s) => s === 'MaintenanceWindowExceeded')) return 'MaintenanceWindowExceeded';
  if (machines.some((s) => s === 'Canceled')) return 'Canceled';
  return 'Succeeded';
}
