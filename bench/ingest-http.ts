/**
 * Ingestion through the real server (issue 3, Benchmarks), all in one run on a temp database:
 * (a) the limit — DuckDB reading the same Update records itself from an NDJSON file with
 *     read_json, measured before and after the HTTP runs (their spread shows the noise);
 * (b) JSON over HTTP — several concurrent senders posting SharedKey-signed Data Collector
 *     requests (`POST /api/logs`) to `startServer` on 127.0.0.1;
 * (c) Arrow IPC over HTTP — the same records as Arrow IPC stream bodies.
 * For (b) and (c): records/s and the ratio to (a), ack latency p50/p99, the longest gap between
 * acks (a stall shows there), and ack→queryable p50/p99 (every 10th request carries a probe
 * record; after its 200 the query API is asked for it until it appears).
 * Senders run in this process (they only post prepared bodies, so they cost little CPU).
 * Goals: JSON ≥ 0.7× the limit, ack→queryable p99 ≤ 1 s. Figures, not pass/fail.
 * CPU: process CPU-seconds per 100k records for the limit and each path (all threads of this
 * process: server, DuckDB, JSON workers and the senders, which only post prepared bodies), and
 * the capacity ratio — the limit's CPU per record over the path's — the ratio to expect on an
 * idle machine; wall-clock ratios on a loaded machine swing with the neighbours.
 * Usage: run-ts bench/ingest-http.ts [--records 200000] [--senders 6] [--batch 1000] [--quick]
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../server/start-server.js';
import { argument, arrowStream, chunk, cpuSeconds, describeLimit, fmt, latencyFigures, markProbes, measureLimit, pct, setRatios, updateRecordsNdjson } from './ingest.js';

export interface HttpBenchOptions {
  records?: number;
  senders?: number;
  /** Records per request. */
  batchSize?: number;
  /** 30,000 records: a minute-long smoke run. */
  quick?: boolean;
  log?: (line: string) => void;
}

export interface HttpPathFigures {
  recordsPerSecond: number;
  ratioToLimit: number;
  ackP50Ms: number;
  ackP99Ms: number;
  longestAckGapMs: number;
  visibleP50Ms: number;
  visibleP99Ms: number;
  /** 429 answers the senders waited out and retried. */
  retries: number;
  /** CPU time of this process (server and senders) over wall time. */
  cores: number;
  /** Process CPU-seconds (all threads) per 100,000 records stored. */
  cpuSecondsPer100k: number;
  /** The limit's CPU per record over this path's: the ratio to expect on an idle machine. */
  capacityRatio: number;
}

export interface HttpBenchResult {
  records: number;
  senders: number;
  limitRecordsPerSecond: number;
  limitRuns: number[];
  limitCpuSecondsPer100k: number;
  /** 1-minute load average at the start and the end of the run. */
  loadAverage: number[];
  json: HttpPathFigures;
  arrow: HttpPathFigures;
}

const jsonType = 'application/json';
const arrowType = 'application/vnd.apache.arrow.stream';

export async function benchIngestHttp(options: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const records = options.records ?? (options.quick ? 30_000 : 200_000);
  const senders = options.senders ?? 6;
  const batchSize = options.batchSize ?? 1000;
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-http-'));
  try {
    log(`generating ${fmt(records)} Update records, ${fmt(Math.ceil(records / batchSize))} requests of ${fmt(batchSize)}, ${senders} senders…`);
    const ndjson = await updateRecordsNdjson(join(dir, 'records.ndjson'), records);
    const batches = chunk(
      ndjson.map((line) => JSON.parse(line) as Record<string, unknown>),
      batchSize,
    );
    ndjson.length = 0;
    markProbes(batches);
    const jsonBodies = batches.map((b) => Buffer.from(JSON.stringify(b)));
    const arrowBodies = batches.map((b) => Buffer.from(arrowStream(b)));
    const counts = batches.map((b) => b.length);
    batches.length = 0;
    const loadAtStart = loadavg()[0]!;
    log(`load average ${loadAtStart.toFixed(1)} on ${availableParallelism()} cores`);
    const before = await measureLimit(dir, 'limit-before');
    log(`(a) read_json limit: ${describeLimit(before)}`);
    const json = await measureHttp(join(dir, 'json'), senders, jsonBodies, counts, jsonType);
    const arrow = await measureHttp(join(dir, 'arrow'), senders, arrowBodies, counts, arrowType);
    const after = await measureLimit(dir, 'limit-after');
    const limit = (before.recordsPerSecond + after.recordsPerSecond) / 2;
    const limitCpu = (before.cpuSecondsPer100k + after.cpuSecondsPer100k) / 2;
    setRatios(json, limit, limitCpu);
    setRatios(arrow, limit, limitCpu);
    log(`(a) read_json limit again: ${describeLimit(after)}; ratios use the mean ${fmt(limit)} (the two runs differ by ${pct(Math.abs(before.recordsPerSecond - after.recordsPerSecond) / limit)}), capacity ratios the mean CPU ${limitCpu.toFixed(2)} s/100k`);
    log(`(b) JSON over HTTP:  ${describe(json)}`);
    log(`(c) Arrow over HTTP: ${describe(arrow)}`);
    const loadAtEnd = loadavg()[0]!;
    log(`load average ${loadAtEnd.toFixed(1)} at the end`);
    return {
      records,
      senders,
      limitRecordsPerSecond: limit,
      limitRuns: [before.recordsPerSecond, after.recordsPerSecond],
      limitCpuSecondsPer100k: limitCpu,
      loadAverage: [loadAtStart, loadAtEnd],
      json,
      arrow,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh server on its own database; every body posted by `senders` concurrent loops. */
async function measureHttp(dir: string, senders: number, bodies: Buffer[], counts: number[], contentType: string): Promise<HttpPathFigures> {
  const server = await startServer({ dbPath: join(dir, 'upkeep.duckdb'), host: '127.0.0.1', port: 0, logger: false });
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  const client = new Client(server, agent);
  const acks: number[] = [];
  const ackTimes: number[] = [];
  const visible: Promise<number>[] = [];
  let retries = 0;
  let next = 0;
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const sender = async (): Promise<void> => {
      for (let i = next++; i < bodies.length; i = next++) {
        const sent = performance.now();
        retries += await client.postLogs(bodies[i]!, contentType);
        const acked = performance.now();
        acks.push(acked - sent);
        ackTimes.push(acked);
        if (i % 10 === 0) visible.push(client.timeUntilVisible(`probe-${i}`, acked));
      }
    };
    await Promise.all(Array.from({ length: senders }, sender));
    const seconds = (performance.now() - start) / 1000;
    const used = cpuSeconds(cpu);
    const cores = used / seconds;
    const visibleMs = await Promise.all(visible);
    const stored = await client.count();
    const sent = counts.reduce((a, b) => a + b, 0);
    if (stored !== sent) throw new Error(`the server stored ${stored} records of ${sent} acknowledged`);
    return {
      recordsPerSecond: sent / seconds,
      ratioToLimit: 0,
      ...latencyFigures(acks, ackTimes, visibleMs),
      retries,
      cores,
      cpuSecondsPer100k: (used * 100_000) / sent,
      capacityRatio: 0,
    };
  } finally {
    agent.destroy();
    await server.close();
  }
}

/** Signed Data Collector requests and admin queries against one server, over keep-alive sockets. */
class Client {
  private readonly workspaceId: string;
  private readonly key: Buffer;
  private readonly token: string;
  private readonly host: string;
  private readonly port: number;

  constructor(
    server: RunningServer,
    private readonly agent: Agent,
  ) {
    this.workspaceId = server.workspace.workspace.workspaceId;
    this.key = Buffer.from(server.workspace.workspace.primaryKey, 'base64');
    this.token = server.workspace.adminToken ?? '';
    const url = new URL(server.url);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  /** Posts until a 200; returns the 429s waited out. Any other status is a failed run. */
  async postLogs(body: Buffer, contentType: string): Promise<number> {
    for (let retries = 0; ; retries++) {
      const date = new Date().toUTCString();
      const signature = createHmac('sha256', this.key).update(`POST\n${body.length}\n${contentType}\nx-ms-date:${date}\n/api/logs`).digest('base64');
      const headers = { 'content-type': contentType, 'content-length': String(body.length), 'x-ms-date': date, 'log-type': 'Update', authorization: `SharedKey ${this.workspaceId}:${signature}` };
      const answer = await this.send('/api/logs', headers, body);
      if (answer.status === 200) return retries;
      if (answer.status !== 429) throw new Error(`POST /api/logs answered ${answer.status}: ${answer.text}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(answer.retryAfter ?? 1)));
    }
  }

  /** From the ack until the query API finds the probe record (it should at once: the ack follows the commit). */
  async timeUntilVisible(computer: string, acked: number): Promise<number> {
    for (;;) {
      if ((await this.queryCount(`Update | where Computer == '${computer}' | count`)) > 0) return performance.now() - acked;
    }
  }

  count(): Promise<number> {
    return this.queryCount('Update | count');
  }

  private async queryCount(query: string): Promise<number> {
    const body = Buffer.from(JSON.stringify({ query }));
    const answer = await this.send('/api/query', { 'content-type': jsonType, 'content-length': String(body.length), authorization: `Bearer ${this.token}` }, body);
    if (answer.status !== 200) throw new Error(`the query API answered ${answer.status}: ${answer.text}`);
    const parsed = JSON.parse(answer.text) as { tables: { rows: unknown[][] }[] };
    return Number(parsed.tables[0]!.rows[0]![0]);
  }

  private send(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string; retryAfter?: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, path, method: 'POST', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers['retry-after'] }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

function describe(f: HttpPathFigures): string {
  return (
    `${fmt(f.recordsPerSecond)} records/s (${f.ratioToLimit.toFixed(2)}× limit); CPU ${f.cpuSecondsPer100k.toFixed(2)} s/100k records (capacity ${f.capacityRatio.toFixed(2)}× limit); ack p50 ${f.ackP50Ms.toFixed(0)} ms p99 ${f.ackP99Ms.toFixed(0)} ms, ` +
    `longest gap between acks ${f.longestAckGapMs.toFixed(0)} ms; ack→queryable p50 ${f.visibleP50Ms.toFixed(1)} ms p99 ${f.visibleP99Ms.toFixed(1)} ms; ` +
    `${f.retries} retries after 429; ${f.cores.toFixed(1)} cores`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchIngestHttp({
    records: argument('--records'),
    senders: argument('--senders'),
    batchSize: argument('--batch'),
    quick: process.argv.includes('--quick'),
    log: console.log,
  });
}
