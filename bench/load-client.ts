/**
 * HTTP for the load test: one keep-alive connection pool (capped) shared by every simulated
 * agent, another for the analysts, each request bounded by a timeout. Answers keep their status
 * and Retry-After so the test can tell shedding (429) from failure (anything else).
 */
import { Agent, request } from 'node:http';
import { signedHeaders } from '../agent/signature.js';
import type { LogRecord } from '../agent/records.js';

export interface LoadEndpoint {
  url: string;
  workspaceId: string;
  primaryKey: string;
  adminToken: string;
}

export interface Answer {
  status: number;
  text: string;
  /** Seconds, when the server sent Retry-After. */
  retryAfter?: number;
}

export class LoadClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    private readonly endpoint: LoadEndpoint,
    maxSockets: number,
    private readonly timeoutMs = 60_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    const url = new URL(endpoint.url);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  /** What the agent's transport sends: SharedKey-signed JSON, Log-Type, a batch id for replays. */
  sendLogs(table: string, records: readonly LogRecord[], batchId: string): Promise<Answer> {
    const body = Buffer.from(JSON.stringify(records), 'utf8');
    const headers = { ...signedHeaders(this.endpoint.workspaceId, this.endpoint.primaryKey, body, '/api/logs'), 'log-type': table, 'x-upkeep-batch-id': batchId };
    return this.post('/api/logs', headers, body);
  }

  query(text: string): Promise<Answer> {
    const body = Buffer.from(JSON.stringify({ query: text }));
    return this.post('/api/query', { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${this.endpoint.adminToken}` }, body);
  }

  /** The first cell of a one-row answer (a count). */
  async count(text: string): Promise<number> {
    const answer = await this.query(text);
    if (answer.status !== 200) throw new Error(`the query API answered ${answer.status} to "${text}": ${answer.text.slice(0, 300)}`);
    const parsed = JSON.parse(answer.text) as { tables: { rows: unknown[][] }[] };
    return Number(parsed.tables[0]?.rows[0]?.[0] ?? 0);
  }

  close(): void {
    this.agent.destroy();
  }

  private post(path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.host, port: this.port, path, method: 'POST', headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ...(retryAfter !== undefined ? { retryAfter: Number(retryAfter) } : {}) });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${path} within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
