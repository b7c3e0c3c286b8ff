/**
 * A small stand-in for the server in agent tests: verifies SharedKey signatures exactly as the
 * contract says, stores each batch id once, and can be told to fail, refuse or go away.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logsPath, registerPath, sharedKeySignature } from '../signature.js';

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
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '';
    if (path !== logsPath && path !== registerPath) return reply(res, 404, { error: { code: 'NotFound', message: path } });
    const date = String(req.headers['x-ms-date'] ?? '');
    const expected = `SharedKey ${this.workspaceId}:${sharedKeySignature(this.key, body.length, date, path)}`;
    if (req.headers.authorization !== expected || Number(req.headers['content-length']) !== body.length) {
      return reply(res, 403, { error: { code: 'InvalidAuthorization', message: 'bad signature' } });
    }
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (path === registerPath) return this.register(parsed as Record<string, string>, res);
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
    reply(res, 200, { agentId: `agent-${machineId.slice(0, 8)}`, workspaceId: body.workspaceId });
  }
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
