/**
 * `upkeep serve` as a real child process over a given DuckDB file, for fault tests that need to
 * kill it (SIGKILL hits the serving process itself: bin/upkeep.mjs imports the compiled CLI in-process), plus
 * the signed-request and query helpers they share. Generalises server/crash.test.ts's
 * one-shot helper so a test can start, kill and restart many times on one file.
 */
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { ensureWorkspace } from '../../app/workspace/workspace-file.js';
import { heartbeat, signedLogHeaders } from '../../server/test-server.js';

export interface ServingChild {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to "listening" (includes opening the file and WAL replay). */
  startMs: number;
  /** Everything the child printed so far. */
  output(): string;
}

/** Starts `upkeep serve --db <dbPath> --port 0`; resolves once it listens. */
export function serveChild(dbPath: string, options: { args?: string[]; user?: { uid: number; gid: number }; cwd?: string } = {}): Promise<ServingChild> {
  const started = Date.now();
  const args = [fileURLToPath(new URL('../../bin/upkeep.mjs', import.meta.url)), 'serve', '--db', dbPath, '--port', '0', '--log-level', 'warn', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options.user, ...(options.cwd ? { cwd: options.cwd } : {}) });
  let output = '';
  let listening = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`upkeep serve did not start within 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = listening ? null : /Upkeep listening on (\S+)/.exec(output);
      if (match) {
        listening = true;
        clearTimeout(timer);
        // The serve command installs its SIGTERM handler just after printing that line; on a
        // loaded machine a SIGTERM sent at once can arrive first and end it without a clean
        // stop. One answered request means its event loop has run past that point.
        const url = match[1]!;
        fetch(`${url}/api/schema`).then(
          () => resolve({ child, url, startMs: Date.now() - started, output: () => output }),
          (error: Error) => reject(new Error(`upkeep serve printed its address but did not answer: ${error.message}`)),
        );
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`upkeep serve exited with ${code ?? signal}: ${output}`));
    });
  });
}

/** SIGKILL, resolved once the process is gone. */
export async function killHard(serving: ServingChild): Promise<void> {
  if (serving.child.exitCode !== null || serving.child.signalCode !== null) return;
  const gone = new Promise((resolve) => serving.child.once('exit', resolve));
  serving.child.kill('SIGKILL');
  await gone;
}

/** SIGTERM (finish requests, commit, checkpoint); resolves with the exit code, or the signal's name and the output if a signal ended it. */
export async function stopGently(serving: ServingChild): Promise<number | string> {
  const { child } = serving;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? `${child.signalCode}: ${serving.output()}`;
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? `${signal}: ${serving.output()}`)));
  child.kill('SIGTERM');
  return exited;
}

export interface Credentials {
  workspaceId: string;
  primaryKey: string;
  adminToken: string;
}

/** Creates the workspace beside `dbPath` before the first start, so the test holds the admin token. */
export function workspaceFor(dbPath: string): Credentials {
  const { workspace, adminToken } = ensureWorkspace(dbPath);
  if (!adminToken) throw new Error(`${dbPath} already has a workspace; start from a fresh directory`);
  return { workspaceId: workspace.workspaceId, primaryKey: workspace.primaryKey, adminToken };
}

/** `records` Heartbeats named `<batch>-r<i>`, so every stored row tells its batch. */
export function batchBody(batch: string, records: number): Buffer {
  return Buffer.from(JSON.stringify(Array.from({ length: records }, (_, i) => heartbeat(`${batch}-r${i}`))));
}

export const arrowType = 'application/vnd.apache.arrow.stream';

/** The same Heartbeats as an Arrow IPC stream (the appender path, not the spool's read_json). */
export function arrowBatchBody(batch: string, records: number): Buffer {
  const names = Array.from({ length: records }, (_, i) => `${batch}-r${i}`);
  return Buffer.from(tableToIPC(tableFromArrays({ Computer: names, OSType: names.map(() => 'Linux') }), 'stream'));
}

/** A SharedKey-signed POST /api/logs of Heartbeats with a batch id (JSON, or Arrow with `contentType`). */
export function postBatch(url: string, credentials: Credentials, batch: string, body: Buffer, contentType = 'application/json'): Promise<Response> {
  const headers = { ...signedLogHeaders(credentials.workspaceId, credentials.primaryKey, body.length, contentType), 'log-type': 'Heartbeat', 'x-upkeep-batch-id': batch };
  return fetch(`${url}/api/logs`, { method: 'POST', headers, body: new Uint8Array(body) });
}

/** Runs KQL as admin; the first table's rows (throws on any other answer than 200). */
export async function kqlRows(url: string, credentials: Credentials, query: string): Promise<unknown[][]> {
  const response = await fetch(`${url}/api/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credentials.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`query answered ${response.status}: ${text}`);
  const body = JSON.parse(text) as { tables: { rows: unknown[][] }[]; truncated: boolean };
  if (body.truncated) throw new Error(`query result was truncated: ${query}`);
  return body.tables[0]!.rows;
}

/** Rows and distinct Computers per batch, as stored (`<batch>-r<i>` names). */
export async function storedBatches(url: string, credentials: Credentials): Promise<Map<string, { rows: number; distinct: number }>> {
  const rows = await kqlRows(url, credentials, 'Heartbeat | extend Batch = extract("^(.*)-r[0-9]+$", 1, Computer) | summarize Rows = count(), Distinct = dcount(Computer) by Batch');
  return new Map(rows.map(([batch, rowCount, distinct]) => [String(batch), { rows: Number(rowCount), distinct: Number(distinct) }]));
}
