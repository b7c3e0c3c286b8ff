/** Test helpers: a real server on 127.0.0.1 (port 0) over a DuckDB file in a fresh temp directory. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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

export async function startTestServer(options: Partial<ServeOptions> = {}): Promise<TestServer> {
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
      return fetch(`${t.url}/api/logs`, { method: 'POST', headers: { ...signed, 'log-type': table, ...headers }, body: bytes });
    },
    async query(text, extra = {}) {
      const response = await fetch(`${t.url}/api/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: text, ...extra }),
      });
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
