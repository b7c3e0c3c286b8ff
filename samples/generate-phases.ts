/** The SQL steps of each generation phase, chunked by machine so that large fleets report progress. */
import type { FleetPlan } from './fleet-plan.js';
import type { RecordTableName, SamplePhase } from './generate.js';
import type { SqlContext } from './sql-context.js';
import { eventRowsSql, heartbeatRowsSql, runProgressRowsSql } from './activity-sql.js';
import { applyRunSql, assessmentsSql, createRunItemsSql, machineUpdateStateSql, runItemsSql } from './state-sql.js';
import { assessmentRowsViewSql, updateRowsSql, updateSummaryRowsSql } from './update-sql.js';

export interface Step {
  sql: string;
  /** The record table the step inserts into, to count its rows. */
  table?: RecordTableName;
}

export interface Phase {
  name: SamplePhase;
  steps: Step[];
}

/** About this many rows per INSERT keeps the progress bar moving without slowing the inserts. */
const rowsPerStep = 500_000;

export function activityPhases(ctx: SqlContext, plan: FleetPlan): Phase[] {
  const machineCount = plan.machines.length;
  // Runs come before assessments: what a run installed decides what later assessments report.
  const runs: Step[] = [{ sql: machineUpdateStateSql(ctx) }, { sql: createRunItemsSql }];
  for (const run of plan.runs) runs.push({ sql: runItemsSql(ctx, run.index) }, { sql: applyRunSql(run.index) });
  runs.push({ sql: runProgressRowsSql(ctx), table: 'UpdateRunProgress' });

  const assessments: Step[] = [{ sql: assessmentsSql(ctx) }, { sql: assessmentRowsViewSql }];
  const updatesPerMachine = Math.ceil(ctx.minutes / 180) * 20;
  for (const [from, to] of chunks(machineCount, rowsPerStep / updatesPerMachine)) {
    assessments.push({ sql: updateRowsSql(ctx, from, to), table: 'Update' }, { sql: updateSummaryRowsSql(ctx, from, to), table: 'UpdateSummary' });
  }

  const heartbeats = chunks(machineCount, rowsPerStep / ctx.minutes).map(([from, to]): Step => ({ sql: heartbeatRowsSql(ctx, from, to), table: 'Heartbeat' }));
  const events = chunks(machineCount, rowsPerStep / (ctx.minutes / 40)).map(([from, to]): Step => ({ sql: eventRowsSql(ctx, from, to), table: 'Event' }));
  return [
    { name: 'runs', steps: runs },
    { name: 'assessments', steps: assessments },
    { name: 'heartbeats', steps: heartbeats },
    { name: 'events', steps: events },
  ];
}

function chunks(count: number, perChunk: number): [number, number][] {
  const size = Math.max(1, Math.floor(perChunk));
  const result: [number, number][] = [];
  for (let from = 0; from < count; from += size) result.push([from, Math.min(count, from + size)]);
  return result;
}
