/** Test helpers: a real server on 127.0.0.1 (port 0) over a DuckDB file in a fresh temp directory. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServeOptions } from './start-server.js';

export interface TestServer {
  dir: string;
  dbPath: string;
  server: RunningServer;
  url: string;
  workspaceId: string;
  primaryKey: string;
  adminToken: string;
  /** A signed Data Collector request (override any header to break it). */
  postLogs(table: string, body: Buffer | string | unknown[], headers?: Record<string, string>): Promise<Response>;
  /** Runs a query through the query API as admin; the parsed JSON answer. */
  query(text: string, extra?: Record<string, unknown>): Promise<{ status: number; body: QueryAnswer }>;
  /** `T | count` through the query API. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export interface QueryAnswer {
  tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
  render: unknown;
  truncated: boolean;
  error?: { code: string; message: string; details?: { line: number; column: number; code: string }[] };
}

/** `ca`: the PEM certificate to trust when the server serves TLS with a self-signed pair. */
export async function startTestServer(options: Partial<ServeOptions> = {}, ca?: string): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-server-'));
  const dbPath = join(dir, 'upkeep.duckdb');
  const server = await startServer({ dbPath, port: 0, ...options });
  const { workspace, adminToken } = server.workspace;
  if (!adminToken) throw new Error('a fresh server must create its admin token');
  const t: TestServer = {
    dir,
    dbPath,
    server,
    url: server.url,
    workspaceId: workspace.workspaceId,
    primaryKey: workspace.primaryKey,
    adminToken,
    async postLogs(table, body, headers = {}) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const signed = signedLogHeaders(t.workspaceId, t.primaryKey, bytes.length, headers['content-type'] ?? 'application/json');
      return fetch(`${t.url}/api/logs`, { method: 'POST', headers: { ...signed, 'log-type': table, ...headers }, body: new Uint8Array(bytes) });
    },
    async query(text, extra = {}) {
      const init = { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: text, ...extra }) };
      const response = ca === undefined ? await fetch(`${t.url}/api/query`, init) : await httpsPost(`${t.url}/api/query`, init, ca);
      return { status: response.status, body: (await response.json()) as QueryAnswer };
    },
    async count(table) {
      const { status, body } = await t.query(`${table} | count`);
      if (status !== 200) throw new Error(`count failed: ${JSON.stringify(body)}`);
      return Number(body.tables[0]!.rows[0]![0]);
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** Headers of a signed request, computed here independently of the server's code. */
export function signedLogHeaders(workspaceId: string, key: string, length: number, contentType = 'application/json', path = '/api/logs', date = new Date()): Record<string, string> {
  const xMsDate = date.toUTCString();
  const signature = createHmac('sha256', Buffer.from(key, 'base64'))
    .update(`POST\n${length}\n${contentType}\nx-ms-date:${xMsDate}\n${path}`)
    .digest('base64');
  return { 'content-type': contentType, 'x-ms-date': xMsDate, authorization: `SharedKey ${workspaceId}:${signature}` };
}

export function heartbeat(computer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Computer: computer, TimeGenerated: new Date().toISOString(), OSType: 'Linux', Version: '1.0', ...extra };
}

/** fetch cannot be told to trust one extra certificate; node's https can. */
function httpsPost(url: string, init: { headers: Record<string, string>; body: string }, ca: string): Promise<{ status: number; json(): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', headers: init.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
