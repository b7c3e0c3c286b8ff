/** Test helper: a real query, run on DuckDB, encoded as the server's Arrow answer and decoded. */
import { runQuery } from '../../../query/run-query.js';
import type { QueryResult } from '../../../language/values/result.js';
import { resultToArrow } from '../../../server/arrow-result.js';
import type { ArrowQueryResult } from './contract.js';
import { decodeArrowResult } from './decode.js';

export async function queryResult(kql: string): Promise<QueryResult> {
  const outcome = await runQuery(kql, { now: new Date('2024-03-01T12:00:00Z') });
  if (!outcome.ok) throw new Error(`query failed: ${JSON.stringify(outcome.diagnostics)}`);
  return outcome.result;
}

/** The query's answer as the workbench receives it, plus the engine's own result to compare with. */
export async function arrowResult(kql: string): Promise<{ arrow: ArrowQueryResult; engine: QueryResult }> {
  const engine = await queryResult(kql);
  return { arrow: decodeArrowResult(resultToArrow(engine), engine.stats.durationMs), engine };
}
