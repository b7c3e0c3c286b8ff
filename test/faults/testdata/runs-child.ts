/**
 * The update runs (scheduler, run engine, machine jobs) of a server, in a process of its own on a
 * DuckDB file with a ManualClock, driven one JSON command per stdin line so a test can kill it
 * with SIGKILL between (or during) any two steps. Answers one JSON line per command.
 *   {"op":"tick","at":iso}                     set the clock, tick the scheduler, settle
 *   {"op":"next","computer":c}                 what the agent's poll gets: {"job":{jobId,runId}|null}
 *   {"op":"complete","jobId":id,"outcome":o}   progress + completion as the agent reports them
 *   {"op":"state","deployment":id}             occurrences and runs with machine statuses
 * Argument: the database file. The deployment is testDeployment's daily 02:00 Linux one (dep-1).
 */
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { ManualClock } from '../../../contracts/clock.js';
import { MemoryDeployments, testDeployment } from '../../../app/updates/runs/test-fixtures.js';
import { UpdateRuns } from '../../../app/updates/runs/update-runs.js';

type Command =
  | { op: 'tick'; at: string }
  | { op: 'next'; computer: string }
  | { op: 'complete'; jobId: string; outcome: 'Succeeded' | 'Failed' }
  | { op: 'state'; deployment: string };

const clock = new ManualClock('2030-01-07T00:00:00Z');
const instance = await DuckDBInstance.create(process.argv[2]!);
const deployments = new MemoryDeployments(testDeployment({ id: 'dep-1' }));
const runs = await UpdateRuns.open({ instance, deployments, clock, sink: async () => undefined });

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'tick':
      clock.set(command.at);
      await runs.scheduler.tick();
      await runs.engine.settled();
      return { ok: true };
    case 'next': {
      const job = await runs.jobs.next({ computer: command.computer, agentId: `agent-${command.computer}`, waitSeconds: 0 }, { agentId: `agent-${command.computer}` });
      return { job: job && job.kind === 'install' ? { jobId: job.jobId, runId: job.runId } : null };
    }
    case 'complete':
      await runs.jobs.progress(command.jobId, { updates: [{ product: 'openssl', title: 'openssl 3.0.13', status: command.outcome === 'Succeeded' ? 'Succeeded' : 'InstallFailed' }] });
      await runs.jobs.complete(command.jobId, { status: command.outcome, rebooted: false });
      await runs.engine.settled();
      return { ok: true };
    case 'state': {
      const occurrences = await runs.store.occurrences(command.deployment);
      const views = await Promise.all((await runs.store.runsOf(command.deployment)).map((r) => runs.engine.view(r)));
      return {
        occurrences: occurrences.map((o) => ({ scheduledAt: o.scheduledAt.toISOString(), outcome: o.outcome })),
        runs: views.map((v) => ({ id: v.id, status: v.status, machines: v.machines.map((m) => [m.computer, m.status]) })),
      };
    }
  }
}

// One command at a time, in order: the test waits for each answer.
let chain: Promise<void> = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  chain = chain.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify(await handle(JSON.parse(line) as Command))}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
  });
});
process.stdout.write('ready\n');
