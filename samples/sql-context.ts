/** Constants and helpers shared by the SQL that generates record rows inside DuckDB. */
import { duckdb } from '../language/sql/duckdb.js';
import { nsPerMinute } from './catalogue-types.js';
import type { FleetPlan } from './fleet-plan.js';

export interface SqlContext {
  seed: number;
  windowStartNs: bigint;
  endNs: bigint;
  minutes: number;
  tenantId: string;
  managementGroup: string;
}

export function sqlContext(plan: FleetPlan): SqlContext {
  return {
    seed: plan.seed,
    windowStartNs: plan.windowStartNs,
    endNs: plan.endNs,
    minutes: plan.minutes,
    tenantId: plan.workspaceId,
    managementGroup: `AOI-${plan.workspaceId}`,
  };
}

/**
 * A deterministic pseudo-random fraction in [0, 1) from the seed, a label and row values.
 * DuckDB's hash is stable for a given DuckDB version, which is what "deterministic" needs here.
 */
export function frac(ctx: SqlContext, label: string, ...values: string[]): string {
  return `((hash(${ctx.seed}, ${duckdb.stringLiteral(label)}, ${values.join(', ')}) % 1000000) / 1000000.0)`;
}

/** A deterministic pseudo-random integer in [0, n). */
export function pick(ctx: SqlContext, label: string, n: string, ...values: string[]): string {
  return `(hash(${ctx.seed}, ${duckdb.stringLiteral(label)}, ${values.join(', ')}) % ${n})::INTEGER`;
}

export const ns = (value: bigint): string => `${value.toString()}::BIGINT`;
export const minuteNs = ns(nsPerMinute);
export const secondNs = '1000000000::BIGINT';
export const str = (value: string): string => duckdb.stringLiteral(value);
export const timestamp = (nsExpr: string): string => `make_timestamp_ns(${nsExpr})`;
