/**
 * The run and job lifecycles, written out here as the allowed changes: every one is accepted and
 * every other pair of states is refused with an error naming both states and what was allowed.
 */
import { describe, expect, it } from 'vitest';
import { runStatuses } from '../../../contracts/updates.js';
import { jobStatuses } from './run-store.js';
import { checkTransition, IllegalTransition, jobLifecycle, runPhaseLifecycle, runStatusLifecycle, sourcesOf, type Lifecycle } from './transitions.js';

const allowedJobChanges = [
  'Pending → Queued', 'Pending → Canceled', 'Pending → MaintenanceWindowExceeded',
  'Queued → Running', 'Queued → Delivered', 'Queued → Canceled', 'Queued → FailedToStart',
  'Running → Succeeded', 'Running → Failed', 'Running → MaintenanceWindowExceeded', 'Running → Canceled',
  'Delivered → Succeeded', 'Delivered → Failed',
];
const allowedRunStatusChanges = [
  'NotStarted → InProgress', 'NotStarted → Succeeded', 'NotStarted → Failed', 'NotStarted → MaintenanceWindowExceeded', 'NotStarted → Canceled',
  'InProgress → Succeeded', 'InProgress → Failed', 'InProgress → MaintenanceWindowExceeded', 'InProgress → Canceled',
];
const allowedPhaseChanges = ['pre → rings', 'pre → post', 'rings → post', 'post → done'];

function everyPair<S extends string>(states: readonly S[]): [S, S][] {
  return states.flatMap((from) => states.map((to): [S, S] => [from, to]));
}

function checkTable<S extends string>(lifecycle: Lifecycle<S>, states: readonly S[], allowed: string[]): void {
  expect(Object.keys(lifecycle.table).sort()).toEqual([...states].sort());
  for (const [from, to] of everyPair(states)) {
    const change = () => checkTransition(lifecycle, from, to);
    if (allowed.includes(`${from} → ${to}`)) {
      expect(change, `${from} → ${to}`).not.toThrow();
      continue;
    }
    expect(change, `${from} → ${to}`).toThrow(IllegalTransition);
    try {
      change();
    } catch (error) {
      const refusal = error as IllegalTransition;
      expect(refusal).toMatchObject({ from, to, allowed: allowed.filter((c) => c.startsWith(`${from} → `)).map((c) => c.split(' → ')[1]) });
      expect(refusal.message).toContain(`cannot go from ${from} to ${to}`);
    }
  }
}

describe('lifecycles', () => {
  it('jobs: every allowed change is accepted, every other refused', () => checkTable(jobLifecycle, jobStatuses, allowedJobChanges));
  it('run status: every allowed change is accepted, every other refused', () => checkTable(runStatusLifecycle, runStatuses, allowedRunStatusChanges));
  it('run phase: every allowed change is accepted, every other refused', () => checkTable(runPhaseLifecycle, ['pre', 'rings', 'post', 'done'], allowedPhaseChanges));

  it('names the states and what was allowed in its refusal', () => {
    expect(() => checkTransition(jobLifecycle, 'Queued', 'Succeeded', 'Job j1')).toThrow('Job j1 (job) cannot go from Queued to Succeeded: from Queued it may only go to Running, Delivered, Canceled, FailedToStart.');
    expect(() => checkTransition(jobLifecycle, 'Canceled', 'Succeeded')).toThrow('A job cannot go from Canceled to Succeeded: Canceled is final.');
  });

  it('lists the states a change may come from (the store updates only rows in them)', () => {
    expect(sourcesOf(jobLifecycle, 'Succeeded')).toEqual(['Running', 'Delivered']);
    expect(sourcesOf(jobLifecycle, 'Pending')).toEqual([]);
    expect(sourcesOf(runPhaseLifecycle, 'post')).toEqual(['pre', 'rings']);
  });
});
