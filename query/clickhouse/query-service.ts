/**
 * The server's QueryService for `--store clickhouse://…`: record-table queries compile with the
 * ClickHouse dialect and run on the cluster; the embedded DuckDB (application state) is opened
 * as for the DuckDB store. The `timespan` parameter is refused with a clear message for now
 * (filter on TimeGenerated in the query instead).
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { Codes, diagnostic } from '../../language/syntax/diagnostics.js';
import { openQueryConnection } from '../duckdb/read-only.js';
import { QueryService, defaultQueryLimits, type QueryLimits, type RunRequest, type ServiceOutcome } from '../query-service.js';
import type { ClickHouseNode } from '../../records/clickhouse/client.js';
import { runClickHouseQuery } from './query.js';

export class ClickHouseQueryService extends QueryService {
  constructor(
    instance: DuckDBInstance,
    databaseName: string,
    allowedDirectories: string[],
    private readonly chLimits: QueryLimits,
    private readonly nodes: readonly ClickHouseNode[],
  ) {
    super(instance, databaseName, allowedDirectories, chLimits);
  }

  static async forCluster(instance: DuckDBInstance, allowedDirectories: string[], limits: QueryLimits | undefined, nodes: readonly ClickHouseNode[]): Promise<ClickHouseQueryService> {
    const conn = await openQueryConnection(instance, { allowedDirectories });
    try {
      const name = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0]);
      return new ClickHouseQueryService(instance, name, allowedDirectories, limits ?? defaultQueryLimits, nodes);
    } finally {
      conn.closeSync();
    }
  }

  override async run(request: RunRequest): Promise<ServiceOutcome> {
    if (request.window) {
      const whole = { start: 0, end: request.text.length };
      return { ok: false, diagnostics: [diagnostic(Codes.unsupportedOnStore, whole, 'The timespan parameter is not supported on the ClickHouse store yet; filter in the query instead, e.g. | where TimeGenerated > ago(1d).')] };
    }
    const outcome = await runClickHouseQuery(this.nodes, request.text, {
      maxRows: this.chLimits.maxRows,
      timeoutMs: this.chLimits.timeoutMs,
      now: request.now ?? new Date(),
      catalog: this.catalog,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return outcome.ok ? { ok: true, result: outcome.result } : outcome;
  }
}
