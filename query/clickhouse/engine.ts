/**
 * The ClickHouse store's engine for the QueryRunner: the compiler writes the ClickHouse dialect,
 * the SQL goes to the first node that answers (query.ts). The runner's concurrency, row and
 * time limits apply as on DuckDB; memory is the cluster's own setting (max_memory_usage in its
 * users profile), not the server's --query-memory.
 *
 * A time window (the API's `timespan`, a dashboard tile's range, an alert rule's lookback) is
 * refused with a clear message for now: filter on TimeGenerated in the query instead.
 */
import { Codes, QueryError, diagnostic } from '../../language/syntax/diagnostics.js';
import type { Column } from '../../language/schema/types.js';
import { clickhouse } from '../../language/sql/clickhouse.js';
import type { ClickHouseNode } from '../../records/clickhouse/client.js';
import type { EngineOutput, EngineRun, QueryEngine } from '../engine.js';
import { runClickHouseSql } from './query.js';

export class ClickHouseEngine implements QueryEngine {
  readonly dialect = clickhouse;

  /** `nodes`: any node can serve the Distributed tables; the next is tried while one is unreachable. */
  constructor(private readonly nodes: readonly ClickHouseNode[]) {}

  async run(sql: string, columns: Column[], run: EngineRun): Promise<EngineOutput> {
    if (run.window) {
      throw new QueryError(diagnostic(Codes.unsupportedOnStore, run.range, 'The timespan parameter is not supported on the ClickHouse store yet; filter in the query instead, e.g. | where TimeGenerated > ago(1d).'));
    }
    return runClickHouseSql(this.nodes, sql, columns, {
      maxRows: run.maxRows,
      timeoutMs: run.timeoutMs,
      range: run.range,
      ...(run.signal ? { signal: run.signal } : {}),
    });
  }
}
