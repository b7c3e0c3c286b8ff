/** The test cluster started by global-setup.ts, or undefined when clickhouse-server is not installed. */
import type { RunningCluster } from '../../records/clickhouse/cluster.js';
import type { ClickHouseNode } from '../../records/clickhouse/client.js';

export function testCluster(): RunningCluster | undefined {
  const text = process.env.UPKEEP_TEST_CLICKHOUSE;
  return text ? (JSON.parse(text) as RunningCluster) : undefined;
}

export function nodesOf(cluster: RunningCluster): ClickHouseNode[] {
  return cluster.shards.map((s) => ({ host: '127.0.0.1', port: s.httpPort }));
}
