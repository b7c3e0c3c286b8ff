/**
 * A local ClickHouse cluster on loopback for trying the ClickHouse store and for tests: N
 * clickhouse-server processes (Debian's 18.16 package), each with its own config and data
 * directory, and a `remote_servers` entry naming every shard so any node can serve the
 * Distributed tables. `npm run cluster:start` / `cluster:stop` drive it from the shell.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const clickhouseServerBinary = '/usr/sbin/clickhouse-server';
export const defaultClusterDir = './data/clickhouse';
export const clusterName = 'upkeep';

export interface ClusterOptions {
  dir?: string;
  shards?: number;
  /** HTTP port of shard 1; shard i uses basePort + 10·(i−1) for HTTP and +1 for its native TCP port. */
  basePort?: number;
  /** Give up waiting for a server after this long. */
  startTimeoutMs?: number;
}

export interface ShardProcess {
  index: number;
  httpPort: number;
  tcpPort: number;
  pid: number;
  dir: string;
}

export interface RunningCluster {
  dir: string;
  shards: ShardProcess[];
  /** `clickhouse://127.0.0.1:p1,127.0.0.1:p2` for `upkeep serve --store`. */
  url: string;
}

export function clickhouseInstalled(): boolean {
  return existsSync(clickhouseServerBinary);
}

function usersXml(): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>6000000000</max_memory_usage><load_balancing>in_order</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

function remoteServersXml(shards: readonly { tcpPort: number }[]): string {
  const entries = shards.map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcpPort}</port></replica></shard>`).join('');
  return `<remote_servers><${clusterName}>${entries}</${clusterName}></remote_servers>`;
}

function configXml(dir: string, httpPort: number, tcpPort: number, remote: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>2</count></logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  ${remote}
</yandex>
`;
}

/** Starts the servers (or reuses ones this directory already runs) and waits until each answers. */
export async function startCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  if (!clickhouseInstalled()) {
    throw new Error(`${clickhouseServerBinary} is not installed; install it with: apt-get install clickhouse-server clickhouse-client`);
  }
  const dir = resolve(options.dir ?? defaultClusterDir);
  const count = options.shards ?? 2;
  const basePort = options.basePort ?? 18123;
  const layout = Array.from({ length: count }, (_, i) => ({ index: i + 1, httpPort: basePort + 10 * i, tcpPort: basePort + 10 * i + 1, dir: join(dir, `shard${i + 1}`) }));
  const remote = remoteServersXml(layout);
  const shards: ShardProcess[] = [];
  for (const s of layout) {
    mkdirSync(join(s.dir, 'data'), { recursive: true });
    writeFileSync(join(s.dir, 'users.xml'), usersXml());
    writeFileSync(join(s.dir, 'config.xml'), configXml(s.dir, s.httpPort, s.tcpPort, remote));
    const running = runningPid(s.dir);
    const pid = running ?? launch(s.dir);
    shards.push({ ...s, pid });
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  await Promise.all(shards.map((s) => waitUntilUp(s, deadline)));
  const cluster = { dir, shards, url: `clickhouse://${shards.map((s) => `127.0.0.1:${s.httpPort}`).join(',')}` };
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cluster, null, 2));
  return cluster;
}

function launch(shardDir: string): number {
  const child = spawn(clickhouseServerBinary, [`--config-file=${join(shardDir, 'config.xml')}`], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${clickhouseServerBinary} for ${shardDir}`);
  writeFileSync(join(shardDir, 'server.pid'), String(child.pid));
  return child.pid;
}

function runningPid(shardDir: string): number | undefined {
  const file = join(shardDir, 'server.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && alive(pid) ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilUp(shard: ShardProcess, deadline: number): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${shard.httpPort}/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (!alive(shard.pid)) throw new Error(`clickhouse-server for shard ${shard.index} exited during start; see ${join(shard.dir, 'server.err.log')}`);
    if (Date.now() > deadline) throw new Error(`clickhouse-server for shard ${shard.index} (port ${shard.httpPort}) did not answer in time; see ${join(shard.dir, 'server.err.log')}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Stops one shard's server (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
export async function stopShard(shard: Pick<ShardProcess, 'pid' | 'dir'>, graceMs = 10_000): Promise<void> {
  if (!alive(shard.pid)) return;
  process.kill(shard.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(shard.pid)) {
    if (Date.now() > deadline) process.kill(shard.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(join(shard.dir, 'server.pid'), { force: true });
}

/** Starts one stopped shard again on the same directory. */
export async function restartShard(shard: ShardProcess, timeoutMs = 30_000): Promise<ShardProcess> {
  const pid = launch(shard.dir);
  const restarted = { ...shard, pid };
  await waitUntilUp(restarted, Date.now() + timeoutMs);
  return restarted;
}

export async function stopCluster(cluster: Pick<RunningCluster, 'shards'>): Promise<void> {
  await Promise.all(cluster.shards.map((s) => stopShard(s)));
}

/** Stops whatever `startCluster` left running in a directory (reads its cluster.json). */
export async function stopClusterIn(dir = defaultClusterDir): Promise<number> {
  const file = join(resolve(dir), 'cluster.json');
  if (!existsSync(file)) return 0;
  const cluster = JSON.parse(readFileSync(file, 'utf8')) as RunningCluster;
  const running = cluster.shards.flatMap((s) => {
    const pid = runningPid(s.dir); // the pid file, not cluster.json: a shard may have been restarted
    return pid === undefined ? [] : [{ ...s, pid }];
  });
  await stopCluster({ shards: running });
  return running.length;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  const dir = process.argv[3] ?? defaultClusterDir;
  if (command === 'start') {
    const cluster = await startCluster({ dir });
    process.stdout.write(`ClickHouse cluster up: ${cluster.shards.map((s) => `shard ${s.index} http ${s.httpPort} (pid ${s.pid})`).join(', ')}\n` +
      `Serve on it: npx upkeep serve --store ${cluster.url}\n`);
  } else if (command === 'stop') {
    const stopped = await stopClusterIn(dir);
    process.stdout.write(stopped ? `Stopped ${stopped} ClickHouse server(s) in ${dir}.\n` : `No ClickHouse cluster running in ${dir}.\n`);
  } else {
    process.stderr.write('usage: cluster.ts start|stop [dir]\n');
    process.exitCode = 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
