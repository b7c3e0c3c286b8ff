/**
 * kill -9 of the update runs mid-run. app/updates/scheduler/scheduler.test.ts and
 * test/fleet/fleet-deployment.test.ts restart gracefully (close, then open); here the process
 * running the scheduler, run engine and machine jobs (testdata/runs-child.ts, a ManualClock on a
 * DuckDB file) is killed with SIGKILL:
 *   1. with web1 mid-install (job handed out, not completed) — after the restart web1 is not
 *      handed a second job, its completion is taken, web2 gets its job once;
 *   2. right after the last completion — the run ends Succeeded, nothing is handed again;
 *   3. while a day's tick is starting its run (six days, killed 0–80 ms after the tick was sent)
 *      — after the restart and a tick there is exactly one run for that occurrence, and each
 *      machine gets its job once.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./testdata/runs-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'upkeep-runs-crash-'));
const dbPath = join(dir, 'upkeep.duckdb');
const live: RunsChild[] = [];
afterAll(async () => {
  for (const child of live) await child.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Job {
  jobId: string;
  runId: string;
}
interface State {
  occurrences: { scheduledAt: string; outcome: string }[];
  runs: { id: string; status: string; machines: [string, string][] }[];
}

class RunsChild {
  private readonly answers: ((line: string) => void)[] = [];
  private buffered = '';
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString();
      const lines = this.buffered.split('\n');
      this.buffered = lines.pop()!;
      for (const line of lines) this.answers.shift()?.(line);
    });
  }

  static async start(): Promise<RunsChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const runs = new RunsChild(child);
    live.push(runs);
    const ready = await Promise.race([
      new Promise<string>((resolve) => runs.answers.push(resolve)),
      new Promise<string>((resolve) => child.once('exit', (code) => resolve(`exited ${code}: ${stderr}`))),
    ]);
    if (ready !== 'ready') throw new Error(`runs child did not start: ${ready}`);
    return runs;
  }

  /** Sends a command; resolves with its answer. */
  async send<T>(command: Record<string, unknown>): Promise<T> {
    const answer = new Promise<string>((resolve) => this.answers.push(resolve));
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const parsed = JSON.parse(await answer) as T & { error?: string };
    if (parsed.error) throw new Error(`${String(command.op)}: ${parsed.error}`);
    return parsed;
  }

  /** Sends a command and does not wait for it. */
  fire(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await gone;
  }
}

const next = async (runs: RunsChild, computer: string) => (await runs.send<{ job: Job | null }>({ op: 'next', computer })).job;
const state = (runs: RunsChild) => runs.send<State>({ op: 'state', deployment: 'dep-1' });

it('hands out no job twice and loses none when killed mid-run, after the last completion and while a run starts', { timeout: 120_000 }, async () => {
  // 1. web1 mid-install.
  let runs = await RunsChild.start();
  await runs.send({ op: 'tick', at: '2030-01-07T02:01:00Z' });
  const web1 = await next(runs, 'web1.contoso.com');
  expect(web1).not.toBeNull();
  await runs.kill();

  runs = await RunsChild.start();
  await runs.send({ op: 'tick', at: '2030-01-07T02:05:00Z' });
  expect(await next(runs, 'web1.contoso.com')).toBeNull(); // its job is the one it is running
  await runs.send({ op: 'complete', jobId: web1!.jobId, outcome: 'Succeeded' });
  const web2 = await next(runs, 'web2.contoso.com');
  expect(web2).toMatchObject({ runId: web1!.runId });
  await runs.send({ op: 'complete', jobId: web2!.jobId, outcome: 'Succeeded' });
  // 2. killed right after the last completion.
  await runs.kill();

  runs = await RunsChild.start();
  await runs.send({ op: 'tick', at: '2030-01-07T02:15:00Z' });
  expect(await next(runs, 'web1.contoso.com')).toBeNull();
  expect(await next(runs, 'web2.contoso.com')).toBeNull();
  const day1 = await state(runs);
  expect(day1.occurrences).toEqual([{ scheduledAt: '2030-01-07T02:00:00.000Z', outcome: 'Run' }]);
  expect(day1.runs).toEqual([{ id: web1!.runId, status: 'Succeeded', machines: [['web1.contoso.com', 'Succeeded'], ['web2.contoso.com', 'Succeeded']] }]);

  // 3. killed while a day's tick starts its run (no answer awaited), at varied moments.
  const delays = [0, 5, 10, 20, 40, 80];
  for (const [i, delayMs] of delays.entries()) {
    const day = `2030-01-${String(8 + i).padStart(2, '0')}`;
    runs.fire({ op: 'tick', at: `${day}T02:01:00Z` });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await runs.kill();
    runs = await RunsChild.start();
    await runs.send({ op: 'tick', at: `${day}T02:02:00Z` });
    const jobs = [await next(runs, 'web1.contoso.com'), await next(runs, 'web2.contoso.com')];
    expect(jobs.every((j) => j !== null), `${day}: each machine gets its job`).toBe(true);
    expect(new Set(jobs.map((j) => j!.runId)).size).toBe(1);
    for (const job of jobs) await runs.send({ op: 'complete', jobId: job!.jobId, outcome: 'Succeeded' });
    expect(await next(runs, 'web1.contoso.com')).toBeNull();
    await runs.send({ op: 'tick', at: `${day}T02:10:00Z` });
  }
  const all = await state(runs);
  expect(all.occurrences.map((o) => o.outcome)).toEqual(Array(1 + delays.length).fill('Run'));
  expect(new Set(all.occurrences.map((o) => o.scheduledAt)).size).toBe(1 + delays.length);
  expect(all.runs.map((r) => r.status)).toEqual(Array(1 + delays.length).fill('Succeeded'));
  await runs.kill();
});
