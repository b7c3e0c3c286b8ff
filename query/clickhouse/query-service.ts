/**
 * The server's query runner for `--store clickhouse://…`: record-table queries compile with the
 * ClickHouse dialect and run on the cluster. The `timespan` parameter is refused with a clear
 * message for now (filter on TimeGenerated in the query instead). It still runs its own path,
 * past the runner's concurrency limit.
 */
import { Codes, diagnostic } from '../../language/syntax/diagnostics.js';
import type { ClickHouseNode } from '../../records/clickhouse/client.js';
import type { QueryEngine } from '../engine.js';
import type { QueryLimits } from '../limits.js';
import { QueryRunner, type RunOutcome, type RunRequest } from '../query-runner.js';
import { runClickHouseQuery } from './query.js';

export class ClickHouseQueryService extends QueryRunner {
  constructor(engine: QueryEngine, private readonly chLimits: QueryLimits, private readonly nodes: readonly ClickHouseNode[]) {
    super(engine, chLimits);
  }

  override async run(request: RunRequest): Promise<RunOutcome> {
    if (request.window) {
      const whole = { start: 0, end: request.text.length };
      return { ok: false, diagnostics: [diagnostic(Codes.unsupportedOnStore, whole, 'The timespan parameter is not supported on the ClickHouse store yet; filter in the query instead, e.g. | where TimeGenerated > ago(1d).')] };
    }
    return runClickHouseQuery(this.nodes, request.text, {
      maxRows: this.chLimits.maxRows,
      timeoutMs: this.chLimits.timeoutMs,
      now: request.now ?? new Date(),
      catalog: this.catalog,
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }
}
