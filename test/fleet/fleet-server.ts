/**
 * The real server for the fleet test: `startServer` on 127.0.0.1 over a DuckDB file in a temp
 * directory, its scheduler, runs and job long polls on the simulation's virtual clock. It can be
 * closed and started again on the same file, port and clock (a restart in the middle of a run).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VirtualClock } from '../../agent/simulate/virtual-clock.js';
import { startServer, type RunningServer } from '../../server/start-server.js';

export interface KqlTable {
  columns: string[];
  rows: Record<string, unknown>[];
}

/**
 * Where the test's files go: a RAM file system when the machine has one. Every progress report is
 * a durable commit (an fsync) before the agent hears back, and the fleet's agents wait on them in
 * turn; on a loaded machine's disk each took ~0.4 s. Durability on disk is the crash tests' subject.
 */
export function fastTempDir(prefix: string): string {
  return mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), prefix));
}

export class FleetServer {
  private server: RunningServer | undefined;
  private port = 0;
  readonly dir = fastTempDir('upkeep-fleet-');
  readonly dbPath = join(this.dir, 'upkeep.duckdb');
  workspaceId = '';
  primaryKey = '';
  private adminToken = '';
  starts = 0;

  constructor(private readonly clock: VirtualClock, private readonly tickMs: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // The port of the first start is kept: the fleet's agents know the server by its URL.
    this.server = await listenWithRetry(() => startServer({
      dbPath: this.dbPath,
      port: this.port,
      clock: this.clock,
      updateRuns: { tickMs: this.tickMs },
    }));
    this.starts++;
    this.port = Number(new URL(this.server.url).port);
    const { workspace, adminToken } = this.server.workspace;
    this.workspaceId = workspace.workspaceId;
    this.primaryKey = workspace.primaryKey;
    if (adminToken) this.adminToken = adminToken;
    if (!this.adminToken) throw new Error('the first start must create the admin token');
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  async restart(): Promise<void> {
    await this.close();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A JSON call as admin; throws with the server's answer on an unexpected status. */
  async api<T>(method: 'GET' | 'POST', path: string, body?: unknown, expected = method === 'POST' ? [200, 201, 202] : [200]): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Runs KQL through POST /api/query; rows as objects by column name. */
  async kql(query: string): Promise<KqlTable> {
    const answer = await this.api<{ tables: { columns: { name: string }[]; rows: unknown[][] }[]; truncated: boolean }>('POST', '/api/query', { query }, [200]);
    const table = answer.tables[0];
    if (!table || answer.truncated) throw new Error(`query answered no table or a truncated one: ${query}`);
    const columns = table.columns.map((c) => c.name);
    return { columns, rows: table.rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))) };
  }
}

/** The port just released by the previous start may take a moment to be free again. */
async function listenWithRetry(start: () => Promise<RunningServer>): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 10 || !/EADDRINUSE/.test(String((error as Error).message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
