/**
 * A small stand-in for the server in agent tests: verifies SharedKey signatures exactly as the
 * contract says, stores each batch id once, and can be told to fail, refuse or go away. It also
 * speaks the agent job protocol (contracts/updates.ts): jobs queued per computer, handed
 * out by long poll, progress and completions kept per job, runs cancellable.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentJob, JobCompletion, NextJobRequest, UpdateProgress } from '../../contracts/updates.js';
import { logsPath, nextJobPath, registerPath, sharedKeySignature } from '../signature.js';

const jobPath = /^\/api\/agents\/jobs\/([^/]+)\/(progress|complete)$/;

export interface ReceivedBatch {
  table: string;
  batchId: string;
  records: Record<string, unknown>[];
}

export class TestServer {
  readonly workspaceId = '5b1f6c1e-0d52-4a55-9f6e-2f6f2c9d7a10';
  readonly key = Buffer.from('upkeep test workspace key, 32 b.').toString('base64');
  /** Batches stored, by batch id (a batch sent twice is stored once). */
  readonly batches = new Map<string, ReceivedBatch>();
  readonly registrations = new Map<string, string>();
  /** Registered machines: machine id → FQDN and OS. */
  readonly machines = new Map<string, { fqdn: string; osType: string }>();
  /** Jobs waiting for their computer's next poll. */
  readonly queuedJobs = new Map<string, AgentJob[]>();
  /** Every progress report, per job id, in arrival order. */
  readonly progress = new Map<string, UpdateProgress[]>();
  readonly completions = new Map<string, JobCompletion>();
  readonly cancelled = new Set<string>();
  jobPolls = 0;
  /** Status codes to answer the next job-protocol requests with. */
  failNextJobCalls: number[] = [];
  private readonly pollWaiters = new Map<string, () => void>();
  requests = 0;
  duplicates = 0;
  /** Status codes to answer the next /api/logs requests with (after storing, for 'lost-ack'). */
  failNext: (number | 'lost-ack')[] = [];
  retryAfterSeconds = 0;
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  records(table: string): Record<string, unknown>[] {
    return [...this.batches.values()].filter((b) => b.table === table).flatMap((b) => b.records);
  }

  enqueueJob(computer: string, job: AgentJob): void {
    this.queuedJobs.set(computer, [...(this.queuedJobs.get(computer) ?? []), job]);
    this.pollWaiters.get(computer)?.();
  }

  /** The latest reported status per update (keyed by KB, else package, else title). */
  latestStatuses(jobId: string): Map<string, UpdateProgress> {
    const latest = new Map<string, UpdateProgress>();
    for (const p of this.progress.get(jobId) ?? []) latest.set(p.kbId ?? p.product ?? p.title, p);
    return latest;
  }

  async waitForCompletion(jobId: string, timeoutMs: number): Promise<JobCompletion> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const done = this.completions.get(jobId);
      if (done) return done;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${jobId} did not complete within ${timeoutMs} ms (progress: ${JSON.stringify(this.progress.get(jobId) ?? [])})`);
  }

  /** Listens on 127.0.0.1 (port 0 the first time, the same port after a stop). */
  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const wake of this.pollWaiters.values()) wake();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '';
    const job = jobPath.exec(path);
    if (path !== logsPath && path !== registerPath && path !== nextJobPath && !job) return reply(res, 404, { error: { code: 'NotFound', message: path } });
    const date = String(req.headers['x-ms-date'] ?? '');
    const expected = `SharedKey ${this.workspaceId}:${sharedKeySignature(this.key, body.length, date, path)}`;
    if (req.headers.authorization !== expected || Number(req.headers['content-length']) !== body.length) {
      return reply(res, 403, { error: { code: 'InvalidAuthorization', message: 'bad signature' } });
    }
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (path === registerPath) return this.register(parsed as Record<string, string>, res);
    if (path === nextJobPath || job) {
      const failure = this.failNextJobCalls.shift();
      if (failure !== undefined) return reply(res, failure, { error: { code: 'Test', message: `told to answer ${failure}` } });
    }
    if (path === nextJobPath) return this.nextJob(parsed as NextJobRequest, res);
    if (job) return this.jobReport(decodeURIComponent(job[1] ?? ''), job[2] === 'progress', parsed, res);
    this.requests++;
    const failure = this.failNext.shift();
    if (typeof failure === 'number') {
      return reply(res, failure, { error: { code: 'Test', message: `told to answer ${failure}` } }, this.retryAfterSeconds ? { 'retry-after': String(this.retryAfterSeconds) } : {});
    }
    const batchId = String(req.headers['x-upkeep-batch-id'] ?? `anonymous-${this.requests}`);
    if (this.batches.has(batchId)) this.duplicates++;
    else this.batches.set(batchId, { table: String(req.headers['log-type']), batchId, records: parsed as Record<string, unknown>[] });
    if (failure === 'lost-ack') return void res.destroy(); // stored, but the sender never hears so
    reply(res, 200, {});
  }

  private register(body: Record<string, string>, res: ServerResponse): void {
    const machineId = body.machineId ?? '';
    const existing = this.registrations.get(machineId);
    if (existing && existing !== body.workspaceId) {
      return reply(res, 409, { error: { code: 'AlreadyRegistered', message: 'Machine is already registered to a different account.' } });
    }
    this.registrations.set(machineId, body.workspaceId ?? '');
    this.machines.set(machineId, { fqdn: body.fqdn ?? '', osType: body.osType ?? '' });
    reply(res, 200, { agentId: `agent-${machineId.slice(0, 8)}`, workspaceId: body.workspaceId });
  }

  private async nextJob(request: NextJobRequest, res: ServerResponse): Promise<void> {
    this.jobPolls++;
    const take = () => this.queuedJobs.get(request.computer)?.shift();
    let job = take();
    if (!job && request.waitSeconds > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(30, request.waitSeconds) * 1000);
        const waiters = this.pollWaiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(request.computer);
          resolve();
        }
        waiters.set(request.computer, done);
      });
      job = take();
    }
    if (!job) {
      res.writeHead(204);
      return void res.end();
    }
    reply(res, 200, job);
  }

  private jobReport(jobId: string, isProgress: boolean, body: unknown, res: ServerResponse): void {
    if (isProgress) {
      const updates = (body as { updates?: UpdateProgress[] }).updates ?? [];
      this.progress.set(jobId, [...(this.progress.get(jobId) ?? []), ...updates]);
      return reply(res, 200, { cancel: this.cancelled.has(jobId) });
    }
    this.completions.set(jobId, body as JobCompletion);
    reply(res, 200, {});
  }
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
