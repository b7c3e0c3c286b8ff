/**
 * kill -9 in the middle of alert evaluation. app/alerts/alerts-api.test.ts restarts the server
 * gracefully; here a real server on a ManualClock (testdata/alerts-server-child.ts) is killed with
 * SIGKILL while it evaluates (catches up on) one-minute periods of three rules — once rule a has
 * 2, 5, 8 and 3 more periods stored in the four cycles — and restarted at the time it was moving to. In the end every rule has exactly
 * one AlertEvaluation row per period from its first to the last — none twice (the period's
 * state, cursor and outbox commit together; records carry the outbox id as batch id), none
 * skipped (catch-up on start).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { kqlRows, workspaceFor, type Credentials } from './serve-child.js';

const script = fileURLToPath(new URL('./testdata/alerts-server-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'upkeep-alerts-crash-'));
const dbPath = join(dir, 'upkeep.duckdb');
const MIN = 60_000;
const T0 = Date.parse('2024-05-01T00:00:30Z');
const CYCLES = 4;
const PERIODS_PER_CYCLE = 10;
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(async () => {
  for (const child of children) await kill(child);
  rmSync(dir, { recursive: true, force: true });
});

async function kill(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

interface AlertsServer {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Resolves with the next line the child prints. */
  line(): Promise<string>;
}

async function start(atMs: number): Promise<AlertsServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath, new Date(atMs).toISOString()], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) waiting.shift()?.(l);
  });
  const line = () => new Promise<string>((resolve) => waiting.push(resolve));
  const first = await Promise.race([line(), new Promise<string>((resolve) => child.once('exit', (code) => resolve(`exited ${code}: ${stderr}`)))]);
  const match = /^listening (\S+)$/.exec(first);
  if (!match) throw new Error(`alerts server did not start: ${first}`);
  return { child, url: match[1]!, line };
}

function advance(server: AlertsServer, ms: number): void {
  server.child.stdin.write(`${JSON.stringify({ op: 'advance', ms })}\n`);
}

async function createRule(url: string, credentials: Credentials, name: string, query: string): Promise<void> {
  const response = await fetch(`${url}/api/alert-rules`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credentials.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, query, frequency: 'PT1M', lookback: 'PT5M', measure: { kind: 'rowCount' }, operator: '>', threshold: 0 }),
  });
  expect(response.status, await response.text()).toBe(201);
}

it(`evaluates every period of every rule exactly once across ${CYCLES} kills mid-evaluation`, { timeout: 150_000 }, async () => {
  const credentials = workspaceFor(dbPath);
  let now = T0;
  let server = await start(now);
  await createRule(server.url, credentials, 'crash rule a', 'Heartbeat');
  await createRule(server.url, credentials, 'crash rule b', 'Heartbeat | where Computer == "x"');
  await createRule(server.url, credentials, 'crash rule c', 'AlertEvaluation | where RuleName == "crash rule a"');
  // Kill once rule a has this many more periods stored than before the cycle: mid-way through
  // the ten, with the other two rules at whatever point they reached.
  const killAfter = [2, 5, 8, 3];
  const reached: number[] = [];
  const evaluatedA = async () => Number((await kqlRows(server.url, credentials, 'AlertEvaluation | where RuleName == "crash rule a" | count'))[0]![0]);
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const before = await evaluatedA();
    advance(server, PERIODS_PER_CYCLE * MIN);
    now += PERIODS_PER_CYCLE * MIN;
    const started = Date.now();
    let done = before;
    while (done < before + killAfter[cycle]! && Date.now() - started < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = await evaluatedA();
    }
    await kill(server.child);
    reached.push(done - before);
    server = await start(now);
  }
  // The last start: catch up on what the kill interrupted, then one more period.
  advance(server, MIN);
  await server.line();
  now += MIN;

  const rows = await kqlRows(server.url, credentials, 'AlertEvaluation | summarize n = count() by RuleName, End = format_datetime(PeriodEnd, "HH:mm"), State | order by RuleName asc, End asc');
  const byRule = new Map<string, [string, number, string][]>();
  for (const [rule, end, n, state] of rows.map(([r, e, s, n]) => [String(r), String(e), Number(n), String(s)] as const)) {
    byRule.set(rule, [...(byRule.get(rule) ?? []), [end, n, state]]);
  }
  const lastEnd = new Date(Math.floor(now / MIN) * MIN).toISOString().slice(11, 16);
  const expectedEnds = Array.from({ length: (Math.floor(now / MIN) * MIN - Date.parse('2024-05-01T00:01:00Z')) / MIN + 1 }, (_, i) => new Date(Date.parse('2024-05-01T00:01:00Z') + i * MIN).toISOString().slice(11, 16));
  expect(expectedEnds.at(-1)).toBe(lastEnd);
  expect([...byRule.keys()].sort()).toEqual(['crash rule a', 'crash rule b', 'crash rule c']);
  for (const [rule, periods] of byRule) {
    expect(periods.filter(([, , state]) => state === 'Skipped'), rule).toEqual([]);
    expect(periods.map(([end, n]) => [end, n]), rule).toEqual(expectedEnds.map((end) => [end, 1]));
  }
  console.log(`alerts-crash: ${CYCLES} kills mid-evaluation, 3 rules × ${expectedEnds.length} one-minute periods, each evaluated once; rule a's periods seen stored when each server was killed: ${reached.join('/')}`);
  await kill(server.child);
});
