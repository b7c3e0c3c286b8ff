/**
 * Starts a two-shard ClickHouse cluster on loopback once per vitest run (free ports, a temp
 * directory) when the run includes test/clickhouse; tells the tests where it is through
 * UPKEEP_TEST_CLICKHOUSE (cluster.json path). Skips — with a message — only when
 * clickhouse-server is not installed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClickHouseTables } from '../../records/clickhouse/ddl.js';
import { clickhouseInstalled, clickhouseServerBinary, startCluster, stopClusterIn, type RunningCluster } from '../../records/clickhouse/cluster.js';

function runIncludesClickHouse(): boolean {
  const runAt = process.argv.findIndex((a) => a === 'run' || a.endsWith('vitest.mjs') || a.endsWith('/vitest'));
  const filters = process.argv.slice(runAt + 1).filter((a) => !a.startsWith('-') && a !== 'run');
  return filters.length === 0 || filters.some((f) => f.includes('clickhouse'));
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 21000 + Math.floor(Math.random() * 2000) * 10;
    const ports = [base, base + 1, base + 10, base + 11];
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no free loopback ports for the ClickHouse test cluster');
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!runIncludesClickHouse()) return undefined;
  if (!clickhouseInstalled()) {
    process.stdout.write(`\n[clickhouse] SKIPPED: ${clickhouseServerBinary} is not installed (CI installs it via .ci/run: apt-get install clickhouse-server).\n`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-ch-test-'));
  const cluster: RunningCluster = await startCluster({ dir, shards: 2, basePort: await freeBasePort(), startTimeoutMs: 40_000 });
  // the record tables exist before any test file starts: files run in parallel on the same cluster
  await ensureClickHouseTables(cluster.shards.map((s) => ({ host: '127.0.0.1', port: s.httpPort })));
  process.env.UPKEEP_TEST_CLICKHOUSE = JSON.stringify(cluster);
  return async () => {
    // by the pid files: a test may have stopped and restarted a shard (a new pid)
    await stopClusterIn(cluster.dir);
    rmSync(dir, { recursive: true, force: true });
  };
}
