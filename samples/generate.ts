/**
 * The sample fleet generator: a deterministic, realistic fleet written into the record tables.
 *
 * Small things (machines, the update catalogue, deployment runs) are decided in JS with a seeded
 * generator; the bulk rows (heartbeats, assessments, events, run progress) are generated inside
 * DuckDB with INSERT … SELECT and hash-based pseudo-randomness, which is several times faster
 * than appending rows from JS. The same (seed, end) gives the same rows on the same DuckDB version.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createRecordTables } from '../records/store/duckdb-store.js';
import { activityPhases } from './generate-phases.js';
import { planFleet, loadPlan, scratchTableNames } from './fleet-plan.js';
import { dropScratchTables } from './scratch-tables.js';
import { sqlContext } from './sql-context.js';
import { stateTableNames } from './state-sql.js';
import { defaultSampleOptions, sampleLimits } from './sample-limits.js';

export interface SampleOptions {
  machines: number;
  days: number;
  seed: number;
  /** The last heartbeat minute; the fleet is deterministic given (seed, end). */
  end: Date;
}

export type RecordTableName = 'Heartbeat' | 'Update' | 'UpdateSummary' | 'UpdateRunProgress' | 'Event';

export interface SampleSummary {
  machines: number;
  /** Rows written per record table. */
  rows: Record<RecordTableName, number>;
  windowStart: Date;
  end: Date;
  elapsedMs: number;
}

export type SamplePhase = 'machines' | 'runs' | 'assessments' | 'heartbeats' | 'events';
export type ProgressListener = (done: number, total: number, phase: SamplePhase) => void;

export { defaultSampleOptions, sampleLimits };

export async function generateSample(conn: DuckDBConnection, options: SampleOptions, onProgress?: ProgressListener): Promise<SampleSummary> {
  validateOptions(options);
  const started = performance.now();
  const plan = planFleet(options.machines, options.days, options.seed, options.end);
  const ctx = sqlContext(plan);
  const phases = activityPhases(ctx, plan);
  const total = phases.reduce((n, p) => n + p.steps.length, 1);
  let done = 0;
  const rows: Record<RecordTableName, number> = { Heartbeat: 0, Update: 0, UpdateSummary: 0, UpdateRunProgress: 0, Event: 0 };

  await createRecordTables(conn);
  await conn.run('BEGIN TRANSACTION');
  try {
    await loadPlan(conn, plan);
    onProgress?.(++done, total, 'machines');
    for (const phase of phases) {
      for (const step of phase.steps) {
        const result = await conn.run(step.sql);
        if (step.table) rows[step.table] += result.rowsChanged;
        onProgress?.(++done, total, phase.name);
      }
    }
    await dropScratchTables(conn, [...stateTableNames, ...scratchTableNames]);
    await conn.run('COMMIT');
  } catch (error) {
    await conn.run('ROLLBACK');
    throw error;
  }
  return {
    machines: plan.machines.length,
    rows,
    windowStart: new Date(Number(plan.windowStartNs / 1_000_000n)),
    end: new Date(Number(plan.endNs / 1_000_000n)),
    elapsedMs: performance.now() - started,
  };
}

export function validateOptions(options: SampleOptions): void {
  for (const name of ['machines', 'days', 'seed'] as const) {
    const value = options[name];
    const { min, max } = sampleLimits[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`sample option ${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
    }
  }
  if (!(options.end instanceof Date) || Number.isNaN(options.end.getTime())) {
    throw new RangeError('sample option end must be a valid date, e.g. 2024-06-01T12:00:00Z');
  }
}
