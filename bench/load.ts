/**
 * Load test: a real server (startServer in a child process, bench/load-server.ts) on 127.0.0.1
 * over a temp database; 1,000 simulated agents (bench/load-fleet.ts: heartbeats every minute of
 * accelerated time, assessments) ingesting while 20 analysts run the sample queries round-robin,
 * back to back, for a bounded time. Figures: ingestion records/s and requests/s, ack p50/p99,
 * 429 answers (and any without Retry-After), other errors, query p50/p99 and errors, the
 * server's peak RSS and event-loop delay; at the end every acknowledged record must be stored
 * (counted per table through the query API), and nothing beyond them.
 * Shedding is checked, not assumed: a 429 must carry Retry-After; any other error is a failure.
 * Connections are bounded (keep-alive pools with a socket cap), loopback only.
 *
 * Usage: run-ts bench/load.ts [--seconds 60] [--agents 1000] [--analysts 20] [--speed 60]
 *          [--sockets 400] [--max-queued N] [--max-requests N] [--quick]
 *   --speed         simulated ms per real ms (60: each agent heartbeats once a real second)
 *   --sockets       the agents' connection cap; above the server's maxIngestRequests (256) by
 *                   default, so its 429 path is exercised while connections stay bounded
 *   --max-queued    the server's maxQueuedRecords (default: the server's, 200,000)
 *   --max-requests  the server's maxIngestRequests (default: the server's, 256)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadClient, type LoadEndpoint } from './load-client.js';
import { emptyStats, runFleet, type FleetStats } from './load-fleet.js';
import type { ControlMessage, ServerMessage } from './load-server.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface LoadOptions {
  seconds?: number;
  agents?: number;
  analysts?: number;
  speed?: number;
  sockets?: number;
  maxQueuedRecords?: number;
  maxIngestRequests?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface QueryStats {
  ok: number;
  /** 429 TooManyQueries answers (waited out, then the analyst went on). */
  shed: number;
  errors: number;
  errorSamples: string[];
  ms: number[];
}

export interface LoadFigures {
  agents: number;
  analysts: number;
  seconds: number;
  speed: number;
  sockets: number;
  /** The server's limits as set (undefined: its defaults). */
  maxQueuedRecords?: number;
  maxIngestRequests?: number;
  ingest: FleetStats;
  /** Wall time from the start until every agent's last request settled. */
  ingestSeconds: number;
  recordsPerSecond: number;
  requestsPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  queries: QueryStats;
  queryP50Ms: number;
  queryP99Ms: number;
  startRssBytes: number;
  peakRssBytes: number;
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Rows per agent table at the end, and acknowledged records not found / rows beyond them. */
  stored: Record<string, number>;
  missing: number;
  beyondAcknowledged: number;
  /** Set when the server process exited before the end. */
  serverExit?: string;
}

export async function benchLoad(options: LoadOptions = {}): Promise<LoadFigures> {
  const o = { seconds: 60, agents: 1000, analysts: 20, speed: 60, sockets: 400, seed: 1, ...options };
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-bench-load-'));
  const server = await ServerProcess.start(join(dir, 'upkeep.duckdb'), o.maxQueuedRecords, o.maxIngestRequests);
  const agentsClient = new LoadClient(server.endpoint, o.sockets);
  const analystsClient = new LoadClient(server.endpoint, o.analysts);
  try {
    log(`server up at ${server.endpoint.url} (pid ${server.pid}); ${o.agents} agents at ${o.speed}× time over ${o.sockets} sockets, ${o.analysts} analysts, ${o.seconds} s`);
    const ingest = emptyStats();
    const queries: QueryStats = { ok: 0, shed: 0, errors: 0, errorSamples: [], ms: [] };
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // every agent's sleep listens on the one signal
    let drainDeadline = Infinity;
    controller.signal.addEventListener('abort', () => (drainDeadline = performance.now() + 30_000));
    const startRss = server.rss;
    server.control({ type: 'measure' });
    const started = performance.now();
    const startMs = Date.now() - o.seconds * o.speed; // the records end near now, where the sample queries look
    const fleet = runFleet({ machines: o.agents, speed: o.speed, seed: o.seed, workspaceId: server.endpoint.workspaceId, client: agentsClient, signal: controller.signal, drainDeadline: () => drainDeadline }, ingest, startMs);
    const analysts = Array.from({ length: o.analysts }, (_, i) => runAnalyst(i, analystsClient, sampleQueries(), queries, controller.signal));
    const progress = setInterval(() => log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${ingest.recordsAcked.toLocaleString('en-US')} records in ${ingest.requests.toLocaleString('en-US')} requests acknowledged, ${ingest.shed} × 429, ${ingest.errors} errors; ${queries.ok} queries (${queries.errors} errors); server RSS ${mb(server.peakRss)} MB`), 5000);
    const stopAt = setTimeout(() => controller.abort(), o.seconds * 1000);
    server.onExit(() => controller.abort());
    try {
      await Promise.all([fleet, ...analysts]);
    } finally {
      clearInterval(progress);
      clearTimeout(stopAt);
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    if (server.exit) throw new Error(`the server process exited during the load (${server.exit}) instead of shedding it; ${ingest.errors} errors, e.g. ${ingest.errorSamples[0] ?? 'none'}`);
    const report = await server.report();
    const stored: Record<string, number> = {};
    for (const table of Object.keys(ingest.ackedByTable)) stored[table] = await analystsClient.count(`${table} | count`);
    const gaps = Object.entries(ingest.ackedByTable).map(([table, acked]) => (stored[table] ?? 0) - acked);
    return {
      agents: o.agents, analysts: o.analysts, seconds: o.seconds, speed: o.speed, sockets: o.sockets, maxQueuedRecords: o.maxQueuedRecords, maxIngestRequests: o.maxIngestRequests,
      ingest, ingestSeconds,
      recordsPerSecond: ingest.recordsAcked / ingestSeconds,
      requestsPerSecond: ingest.requests / ingestSeconds,
      ackP50Ms: percentile(ingest.ackMs, 0.5),
      ackP99Ms: percentile(ingest.ackMs, 0.99),
      queries,
      queryP50Ms: percentile(queries.ms, 0.5),
      queryP99Ms: percentile(queries.ms, 0.99),
      startRssBytes: startRss,
      peakRssBytes: report.peakRss,
      eventLoopP50Ms: report.eventLoopP50Ms,
      eventLoopP99Ms: report.eventLoopP99Ms,
      eventLoopMaxMs: report.eventLoopMaxMs,
      stored,
      missing: gaps.filter((g) => g < 0).reduce((n, g) => n - g, 0),
      beyondAcknowledged: gaps.filter((g) => g > 0).reduce((n, g) => n + g, 0),
    };
  } finally {
    agentsClient.close();
    analystsClient.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function sampleQueries(): string[] {
  const dir = join(root, 'samples/queries');
  return readdirSync(dir).filter((f) => f.endsWith('.kql')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** One analyst: the sample queries in turn (each analyst starting at its own), back to back until the stop. */
async function runAnalyst(index: number, client: LoadClient, queries: string[], stats: QueryStats, signal: AbortSignal): Promise<void> {
  for (let k = index; !signal.aborted; k++) {
    const started = performance.now();
    try {
      const answer = await client.query(queries[k % queries.length]!);
      if (answer.status === 200) {
        stats.ok++;
        stats.ms.push(performance.now() - started);
      } else if (answer.status === 429 && answer.retryAfter !== undefined) {
        stats.shed++;
        await new Promise((r) => setTimeout(r, answer.retryAfter! * 1000));
      } else {
        note(stats, `${answer.status}: ${answer.text.slice(0, 200)}`);
      }
    } catch (error) {
      note(stats, (error as Error).message);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function note(stats: QueryStats, message: string): void {
  stats.errors++;
  if (stats.errorSamples.length < 5) stats.errorSamples.push(message);
}

/** The forked server and its messages. */
class ServerProcess {
  rss = 0;
  peakRss = 0;
  exit: string | undefined;
  private readonly listeners: ((m: ServerMessage) => void)[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: LoadEndpoint,
  ) {
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'memory') {
        this.rss = m.rss;
        this.peakRss = Math.max(this.peakRss, m.rss);
      }
      for (const l of this.listeners) l(m);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exit = `code ${code}, signal ${signal}`;
      resolve();
    }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(dbPath: string, maxQueuedRecords?: number, maxIngestRequests?: number): Promise<ServerProcess> {
    const limits = [maxQueuedRecords, maxIngestRequests].map((n) => (n === undefined ? '' : String(n)));
    const child = fork(join(root, 'bin/run-ts.mjs'), [join(root, 'bench/load-server.ts'), dbPath, ...limits], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<ServerMessage & { type: 'ready' }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start within 60 s')), 60_000);
      child.on('message', (m: ServerMessage) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        resolve(m);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited at start (code ${code})`));
      });
    }).catch((error: unknown) => {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw error;
    });
    const server = new ServerProcess(child, { url: ready.url, workspaceId: ready.workspaceId, primaryKey: ready.primaryKey, adminToken: ready.adminToken });
    server.rss = server.peakRss = ready.rss;
    return server;
  }

  control(message: ControlMessage): void {
    if (this.child.connected) this.child.send(message);
  }

  onExit(listener: () => void): void {
    void this.exited.then(listener);
  }

  report(): Promise<ServerMessage & { type: 'report' }> {
    return this.next('report', () => this.control({ type: 'report' }));
  }

  /** Asks for a clean close; kills the process it started if that takes over 60 s. */
  async stop(): Promise<void> {
    if (this.exit) return;
    this.control({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    await this.exited;
    clearTimeout(timer);
  }

  private next<T extends ServerMessage['type']>(type: T, ask: () => void): Promise<ServerMessage & { type: T }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not answer '${type}' within 30 s`)), 30_000);
      this.listeners.push((m) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        resolve(m as ServerMessage & { type: T });
      });
      ask();
    });
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** The server limits the run set, or "defaults". */
export function limitsText(f: Pick<LoadFigures, 'maxQueuedRecords' | 'maxIngestRequests'>): string {
  const set = [f.maxQueuedRecords !== undefined ? `maxQueuedRecords ${f.maxQueuedRecords}` : '', f.maxIngestRequests !== undefined ? `maxIngestRequests ${f.maxIngestRequests}` : ''].filter(Boolean);
  return set.length ? set.join(', ') : 'server defaults';
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);

function numberArg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a number above 0, got '${process.argv[i + 1]}'.`);
  return value;
}

export function loadOptionsFromArgs(quick: boolean): LoadOptions {
  const picked: LoadOptions = { seconds: numberArg('seconds') ?? (quick ? 15 : 60) };
  for (const [name, key] of [['agents', 'agents'], ['analysts', 'analysts'], ['speed', 'speed'], ['sockets', 'sockets'], ['max-queued', 'maxQueuedRecords'], ['max-requests', 'maxIngestRequests']] as const) {
    const value = numberArg(name);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = await benchLoad({ ...loadOptionsFromArgs(process.argv.includes('--quick')), log: console.log });
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`load: ${f.agents} agents (${f.speed}× time, ${f.sockets} sockets) + ${f.analysts} analysts for ${f.seconds} s; server limits ${limitsText(f)} (shared, noisy machine)`);
  console.log(`  ingestion: ${n(f.recordsPerSecond)} records/s, ${n(f.requestsPerSecond)} requests/s; ack p50 ${n(f.ackP50Ms)} ms p99 ${n(f.ackP99Ms)} ms`);
  console.log(`  shed: ${f.ingest.shed} × 429 (${f.ingest.shedWithoutRetryAfter} without Retry-After); other errors ${f.ingest.errors}${f.ingest.errorSamples.length ? `: ${f.ingest.errorSamples.join(' | ')}` : ''}; unsettled ${f.ingest.unsettled}`);
  console.log(`  queries: ${f.queries.ok} answered, p50 ${n(f.queryP50Ms)} ms p99 ${n(f.queryP99Ms)} ms, ${f.queries.shed} × 429, ${f.queries.errors} errors${f.queries.errorSamples.length ? `: ${f.queries.errorSamples.join(' | ')}` : ''}`);
  console.log(`  server: RSS ${mb(f.startRssBytes)} MB at start, peak ${mb(f.peakRssBytes)} MB; event-loop delay p50 ${f.eventLoopP50Ms.toFixed(1)} ms p99 ${f.eventLoopP99Ms.toFixed(1)} ms max ${f.eventLoopMaxMs.toFixed(0)} ms`);
  console.log(`  stored ${JSON.stringify(f.stored)}; acknowledged ${n(f.ingest.recordsAcked)}; missing ${f.missing}, beyond acknowledged ${f.beyondAcknowledged}`);
}
