/**
 * The lifecycles of runs and machine jobs as transition tables: from each state, the states it
 * may go to. Every status or phase change the store writes is checked here, and the store's SQL
 * only updates a row whose current state may go to the new one, so a late or repeated writer
 * (an agent reporting Succeeded after the server canceled its job) cannot overwrite an outcome.
 *
 *   job:        Pending ─► Queued ─► Running (install) ─► Succeeded | Failed | MaintenanceWindowExceeded | Canceled
 *                  │          │  └─► Delivered (assess) ─► Succeeded | Failed
 *                  │          └─► Canceled | FailedToStart
 *                  └─► Canceled | MaintenanceWindowExceeded
 *   run status: NotStarted ─► (InProgress ─►) Succeeded | Failed | MaintenanceWindowExceeded | Canceled
 *   run phase:  pre ─► rings ─► post ─► done, and pre ─► post when the pre-webhook failed
 */
import type { RunStatus } from '../../../contracts/updates.js';
import type { JobStatus, RunPhase } from './run-store.js';

export interface Lifecycle<S extends string> {
  /** What the states belong to, for error messages ("job", "run status"). */
  name: string;
  table: { readonly [from in S]: readonly S[] };
}

export const jobLifecycle: Lifecycle<JobStatus> = {
  name: 'job',
  table: {
    Pending: ['Queued', 'Canceled', 'MaintenanceWindowExceeded'],
    Queued: ['Running', 'Delivered', 'Canceled', 'FailedToStart'],
    Running: ['Succeeded', 'Failed', 'MaintenanceWindowExceeded', 'Canceled'],
    Delivered: ['Succeeded', 'Failed'],
    Succeeded: [],
    Failed: [],
    MaintenanceWindowExceeded: [],
    Canceled: [],
    FailedToStart: [],
  },
};

const runOutcomes = ['Succeeded', 'Failed', 'MaintenanceWindowExceeded', 'Canceled'] as const;

/** The stored status stays NotStarted until the run ends (views derive InProgress from the machines). */
export const runStatusLifecycle: Lifecycle<RunStatus> = {
  name: 'run status',
  table: {
    NotStarted: ['InProgress', ...runOutcomes],
    InProgress: runOutcomes,
    Succeeded: [],
    Failed: [],
    MaintenanceWindowExceeded: [],
    Canceled: [],
  },
};

export const runPhaseLifecycle: Lifecycle<RunPhase> = {
  name: 'run phase',
  table: { pre: ['rings', 'post'], rings: ['post'], post: ['done'], done: [] },
};

/** A change the lifecycle does not allow; names the states involved and what was allowed instead. */
export class IllegalTransition extends Error {
  constructor(readonly lifecycle: string, readonly from: string, readonly to: string, readonly allowed: readonly string[], readonly subject?: string) {
    const who = subject ? `${subject} (${lifecycle})` : `A ${lifecycle}`;
    const instead = allowed.length === 0 ? `${from} is final` : `from ${from} it may only go to ${allowed.join(', ')}`;
    super(`${who} cannot go from ${from} to ${to}: ${instead}.`);
  }
}

export function isAllowed<S extends string>(lifecycle: Lifecycle<S>, from: S, to: S): boolean {
  return lifecycle.table[from].includes(to);
}

/** Throws IllegalTransition unless `from` may go to `to`; `subject` names the run or job in the message. */
export function checkTransition<S extends string>(lifecycle: Lifecycle<S>, from: S, to: S, subject?: string): void {
  if (!isAllowed(lifecycle, from, to)) throw new IllegalTransition(lifecycle.name, from, to, lifecycle.table[from], subject);
}

/** The states that may go to `to`: what the store's UPDATE requires the row to be in. */
export function sourcesOf<S extends string>(lifecycle: Lifecycle<S>, to: S): S[] {
  return (Object.keys(lifecycle.table) as S[]).filter((from) => isAllowed(lifecycle, from, to));
}

/** A state with no way out: its outcome is recorded for good. */
export function isFinal<S extends string>(lifecycle: Lifecycle<S>, state: S): boolean {
  return lifecycle.table[state].length === 0;
}
