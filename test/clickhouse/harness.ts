/** The test cluster started by global-setup.ts, or undefined when clickhouse-server is not installed. */
import type { RunningCluster } from '../../records/clickhouse/cluster.js';
import type { ClickHouseNode } from '../../records/clickhouse/client.js';
import type { Diagnostic } from '../../language/syntax/diagnostics.js';
import type { QueryResult } from '../../language/values/result.js';
import { ClickHouseEngine } from '../../query/clickhouse/engine.js';
import { defaultQueryLimits, type QueryLimits } from '../../query/limits.js';
import { QueryRunner } from '../../query/query-runner.js';

export function testCluster(): RunningCluster | undefined {
  const text = process.env.UPKEEP_TEST_CLICKHOUSE;
  return text ? (JSON.parse(text) as RunningCluster) : undefined;
}

export function nodesOf(cluster: RunningCluster): ClickHouseNode[] {
  return cluster.shards.map((s) => ({ host: '127.0.0.1', port: s.httpPort }));
}

/** A runner of its own on the cluster (the server's limits, or these), as the server runs queries on the ClickHouse store. */
export function clickhouseRunner(nodes: readonly ClickHouseNode[], limits: Partial<QueryLimits> = {}): QueryRunner {
  return new QueryRunner(new ClickHouseEngine(nodes), { ...defaultQueryLimits, ...limits });
}

/** One query on the cluster through a runner of its own (never busy). */
export async function runOnClickHouse(nodes: readonly ClickHouseNode[], text: string, options: { now?: Date; timeoutMs?: number } = {}): Promise<{ ok: true; result: QueryResult; sql: string } | { ok: false; diagnostics: Diagnostic[] }> {
  const outcome = await clickhouseRunner(nodes, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}).run({ text, ...(options.now ? { now: options.now } : {}) });
  if ('busy' in outcome) throw new Error('a runner of its own cannot be busy');
  return outcome;
}
