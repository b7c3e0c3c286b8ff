/**
 * The limits every query runs under, whoever asks (HTTP API, dashboards, alerts, groups,
 * compliance views, the CLI): applied by the QueryRunner (query-runner.ts) in one place.
 */
import { totalmem } from 'node:os';

export interface QueryLimits {
  /** Rows kept; a longer result is cut and marked truncated. */
  maxRows: number;
  /** Time a query may run before it is stopped (E503); 0 or Infinity means no limit. */
  timeoutMs: number;
  /** Queries running at once; more wait in line (up to `maxWaiting`, then busy: 429 on the API). */
  maxConcurrent: number;
  maxWaiting: number;
  /**
   * DuckDB's `memory_limit` for the whole instance, in bytes (`upkeep serve --query-memory`).
   * DuckDB has no per-query limit: this one is shared by the queries running at once and the
   * writer's inserts. A query over it fails with E507 and frees what it held. The ClickHouse
   * store leaves memory to the cluster's own settings (max_memory_usage in its profile).
   */
  memoryLimitBytes?: number;
}

/** 500,000 rows, 30 s, 2 at once with 32 waiting; no memory limit of its own (the engine's default). */
export const defaultQueryLimits: QueryLimits = { maxRows: 500_000, timeoutMs: 30_000, maxConcurrent: 2, maxWaiting: 32 };

/**
 * Half of the memory this process may use (the machine's, or its cgroup's if smaller), where
 * DuckDB would take 80%: the rest stays for Node — request bodies, the JSON parsing workers,
 * result rows being converted — so ingestion keeps going while a big query runs.
 */
export function defaultQueryMemoryBytes(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const available = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor(available / 2);
}

/** The server's limits: the defaults, the instance's memory bounded to half the machine, then what was asked for. */
export function serverQueryLimits(asked: Partial<QueryLimits> = {}): QueryLimits {
  return { ...defaultQueryLimits, memoryLimitBytes: defaultQueryMemoryBytes(), ...asked };
}
