/**
 * Occurrences, runs and machine jobs in the server's DuckDB file (schema `upkeep`), on their own
 * connection. Every change goes through one queue, so a multi-statement transaction never
 * interleaves with another; the unique (deployment_id, scheduled_at) key of upkeep.occurrences
 * is what makes an occurrence run exactly once, also across restarts: the occurrence, its run
 * and its jobs are committed together or not at all.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { Deployment, InstallationStatus, OccurrenceOutcome, OsType, RunStatus, UpdateProgress } from '../../../contracts/updates.js';
import { checkTransition, jobLifecycle, runPhaseLifecycle, runStatusLifecycle, sourcesOf } from './transitions.js';

/** A job's life: Pending (its ring has not opened) → Queued → Running (install) / Delivered (assess) → an outcome (transitions.ts). */
export const jobStatuses = ['Pending', 'Queued', 'Running', 'Delivered', 'Succeeded', 'Failed', 'MaintenanceWindowExceeded', 'Canceled', 'FailedToStart'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const finishedJobStatuses: readonly JobStatus[] = ['Delivered', 'Succeeded', 'Failed', 'MaintenanceWindowExceeded', 'Canceled', 'FailedToStart'];
export type JobKind = 'install' | 'assess';

/** pre: waiting for the pre-webhook · rings: machines at work · post: ended, post-webhook due · done. */
export type RunPhase = 'pre' | 'rings' | 'post' | 'done';

export interface StoredRun {
  id: string;
  deploymentId: string;
  name: string;
  os: OsType;
  scheduledAt: Date;
  windowEndsAt: Date;
  status: RunStatus;
  phase: RunPhase;
  currentRing: number;
  ringCount: number;
  startedAt?: Date;
  endedAt?: Date;
  cancelRequested: boolean;
  /** Why the run failed or stopped early, in words for the operator. */
  reason?: string;
  /** The post-webhook's outcome ("200" or the error). */
  postWebhook?: string;
  /** The deployment as it was when the occurrence fired. */
  deployment: Deployment;
}

export interface StoredJob {
  id: string;
  kind: JobKind;
  runId?: string;
  computer: string;
  ring: number;
  status: JobStatus;
  createdAt: Date;
  pickedAt?: Date;
  finishedAt?: Date;
  agentId?: string;
  sourceComputerId?: string;
  reason?: string;
}

export interface OccurrenceRecord {
  deploymentId: string;
  scheduledAt: Date;
  outcome: OccurrenceOutcome;
  runId?: string;
}

export interface NewJob {
  id: string;
  computer: string;
  ring: number;
  status: JobStatus;
}

const ddl = [
  `CREATE TABLE IF NOT EXISTS upkeep.occurrences (
    deployment_id VARCHAR NOT NULL, scheduled_at TIMESTAMP NOT NULL, outcome VARCHAR NOT NULL,
    run_id VARCHAR, recorded_at TIMESTAMP NOT NULL, PRIMARY KEY (deployment_id, scheduled_at))`,
  `CREATE TABLE IF NOT EXISTS upkeep.runs (
    id VARCHAR PRIMARY KEY, deployment_id VARCHAR NOT NULL, name VARCHAR NOT NULL, os VARCHAR NOT NULL,
    scheduled_at TIMESTAMP NOT NULL, window_ends_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL, phase VARCHAR NOT NULL,
    current_ring INTEGER NOT NULL, ring_count INTEGER NOT NULL, started_at TIMESTAMP, ended_at TIMESTAMP,
    cancel_requested BOOLEAN NOT NULL, reason VARCHAR, post_webhook VARCHAR, deployment VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS upkeep.jobs (
    id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, run_id VARCHAR, computer VARCHAR NOT NULL, ring INTEGER NOT NULL,
    seq INTEGER NOT NULL, status VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, picked_at TIMESTAMP, finished_at TIMESTAMP,
    agent_id VARCHAR, source_computer_id VARCHAR, reason VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS upkeep.job_updates (
    job_id VARCHAR NOT NULL, update_key VARCHAR NOT NULL, status VARCHAR NOT NULL, progress VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL, PRIMARY KEY (job_id, update_key))`,
];

const runColumns = `id, deployment_id, name, os, scheduled_at, window_ends_at, status, phase, current_ring, ring_count,
  started_at, ended_at, cancel_requested, reason, post_webhook, deployment`;
const jobColumns = `id, kind, run_id, computer, ring, status, created_at, picked_at, finished_at, agent_id, source_computer_id, reason`;

type Row = Record<string, unknown>;

export class RunStore {
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Machines (lower case) that may have a queued job. Every agent polls all the time and almost
   * every poll finds nothing: those are answered from here, without a query. Added to whenever a
   * job becomes Queued (and from the file at open), removed when a poll's read finds none.
   */
  private readonly mayHaveQueued = new Set<string>();

  /**
   * `upkeep.` qualified with the database's catalog: a file named upkeep.duckdb is itself the
   * catalog "upkeep", which would make a bare `upkeep.runs` ambiguous.
   */
  private constructor(private readonly conn: DuckDBConnection, private readonly schema: string) {}

  static async open(instance: DuckDBInstance): Promise<RunStore> {
    const conn = await instance.connect();
    const catalog = String((await conn.runAndReadAll('SELECT current_database()')).getRows()[0]![0]);
    const store = new RunStore(conn, `"${catalog.replaceAll('"', '""')}".upkeep`);
    await store.exec(`CREATE SCHEMA IF NOT EXISTS ${store.schema}`);
    for (const sql of ddl) await store.exec(sql);
    for (const row of await store.rows(`SELECT DISTINCT computer FROM upkeep.jobs WHERE status = 'Queued'`)) store.mayHaveQueued.add(String(row.computer).toLowerCase());
    return store;
  }

  close(): Promise<void> {
    return this.exclusive(async () => this.conn.closeSync());
  }

  /** The latest occurrence recorded for a deployment: the scheduler's cursor. */
  lastOccurrence(deploymentId: string): Promise<Date | undefined> {
    return this.exclusive(async () => {
      const rows = await this.rows(`SELECT max(scheduled_at) AS t FROM upkeep.occurrences WHERE deployment_id = $1`, [deploymentId]);
      return (rows[0]?.t as Date | null) ?? undefined;
    });
  }

  occurrences(deploymentId: string): Promise<OccurrenceRecord[]> {
    return this.exclusive(async () => {
      const rows = await this.rows(`SELECT * FROM upkeep.occurrences WHERE deployment_id = $1 ORDER BY scheduled_at`, [deploymentId]);
      return rows.map((r) => ({ deploymentId: String(r.deployment_id), scheduledAt: r.scheduled_at as Date, outcome: r.outcome as OccurrenceOutcome, ...(r.run_id ? { runId: String(r.run_id) } : {}) }));
    });
  }

  /**
   * Claims an occurrence: records it, and with a run also the run and its jobs, in one transaction.
   * False when it was claimed before (nothing written).
   */
  claimOccurrence(occurrence: OccurrenceRecord, recordedAt: Date, run?: { run: StoredRun; jobs: NewJob[] }): Promise<boolean> {
    return this.transaction(async () => {
      const inserted = await this.exec(
        `INSERT INTO upkeep.occurrences VALUES ($1, $2::TIMESTAMP, $3, $4, $5::TIMESTAMP) ON CONFLICT DO NOTHING`,
        [occurrence.deploymentId, iso(occurrence.scheduledAt), occurrence.outcome, run?.run.id ?? null, iso(recordedAt)],
      );
      if (inserted.rowsChanged === 0) return false;
      if (run) {
        await this.insertRun(run.run);
        await this.insertJobs(run.run.id, 'install', run.jobs, recordedAt);
      }
      return true;
    });
  }

  getRun(id: string): Promise<StoredRun | undefined> {
    return this.exclusive(async () => (await this.rows(`SELECT ${runColumns} FROM upkeep.runs WHERE id = $1`, [id])).map(toRun)[0]);
  }

  runsOf(deploymentId: string): Promise<StoredRun[]> {
    return this.exclusive(async () => (await this.rows(`SELECT ${runColumns} FROM upkeep.runs WHERE deployment_id = $1 ORDER BY scheduled_at DESC`, [deploymentId])).map(toRun));
  }

  activeRuns(): Promise<StoredRun[]> {
    return this.exclusive(async () => (await this.rows(`SELECT ${runColumns} FROM upkeep.runs WHERE phase <> 'done' ORDER BY scheduled_at`)).map(toRun));
  }

  /**
   * Changes a run. A status or phase change is checked against the run's lifecycle (transitions.ts)
   * and only written while the run is still in a state that may go there; otherwise IllegalTransition.
   */
  updateRun(id: string, patch: Partial<Pick<StoredRun, 'status' | 'phase' | 'currentRing' | 'startedAt' | 'endedAt' | 'cancelRequested' | 'reason' | 'postWebhook'>>): Promise<void> {
    const columns: Record<string, [string, DuckDBValue]> = {
      status: ['status = $', patch.status ?? null],
      phase: ['phase = $', patch.phase ?? null],
      currentRing: ['current_ring = $', patch.currentRing ?? null],
      startedAt: ['started_at = $::TIMESTAMP', patch.startedAt ? iso(patch.startedAt) : null],
      endedAt: ['ended_at = $::TIMESTAMP', patch.endedAt ? iso(patch.endedAt) : null],
      cancelRequested: ['cancel_requested = $', patch.cancelRequested ?? null],
      reason: ['reason = $', patch.reason ?? null],
      postWebhook: ['post_webhook = $', patch.postWebhook ?? null],
    };
    const set = Object.keys(patch).filter((k) => k in columns).map((k) => columns[k]!);
    if (set.length === 0) return Promise.resolve();
    let guard = '';
    if (patch.status) guard += ` AND status IN (${sqlList(sourcesOf(runStatusLifecycle, patch.status))})`;
    if (patch.phase) guard += ` AND phase IN (${sqlList(sourcesOf(runPhaseLifecycle, patch.phase))})`;
    const sql = `UPDATE upkeep.runs SET ${set.map(([s], i) => s.replace('$', `$${i + 1}`)).join(', ')} WHERE id = $${set.length + 1}${guard}`;
    return this.exclusive(async () => {
      const { rowsChanged } = await this.exec(sql, [...set.map(([, v]) => v), id]);
      if (rowsChanged > 0 || guard === '') return;
      const current = (await this.rows(`SELECT status, phase FROM upkeep.runs WHERE id = $1`, [id]))[0];
      if (!current) return;
      if (patch.status) checkTransition(runStatusLifecycle, current.status as RunStatus, patch.status, `Run ${id}`);
      if (patch.phase) checkTransition(runPhaseLifecycle, current.phase as RunPhase, patch.phase, `Run ${id}`);
    });
  }

  jobsOfRun(runId: string): Promise<StoredJob[]> {
    return this.exclusive(async () => (await this.rows(`SELECT ${jobColumns} FROM upkeep.jobs WHERE run_id = $1 ORDER BY seq`, [runId])).map(toJob));
  }

  getJob(id: string): Promise<StoredJob | undefined> {
    return this.exclusive(async () => (await this.rows(`SELECT ${jobColumns} FROM upkeep.jobs WHERE id = $1`, [id])).map(toJob)[0]);
  }

  /** Queues an assess job, or returns the one already waiting for that machine. */
  queueAssess(id: string, computer: string, at: Date): Promise<string> {
    return this.transaction(async () => {
      const waiting = await this.rows(`SELECT id FROM upkeep.jobs WHERE kind = 'assess' AND status = 'Queued' AND lower(computer) = lower($1)`, [computer]);
      if (waiting[0]) return String(waiting[0].id);
      await this.insertJobs(null, 'assess', [{ id, computer, ring: 0, status: 'Queued' }], at);
      return id;
    });
  }

  /**
   * Moves jobs in `from` states to `to` (with a reason and finish time for outcomes); returns the
   * jobs moved. Each `from` must be allowed to go to `to` (IllegalTransition otherwise, before any write).
   */
  async moveJobs(where: { runId: string; ring?: number; ids?: string[] }, from: readonly JobStatus[], to: JobStatus, at: Date, reason?: string): Promise<StoredJob[]> {
    for (const state of from) checkTransition(jobLifecycle, state, to);
    return this.transaction(async () => {
      const params: DuckDBValue[] = [where.runId];
      let filter = `run_id = $1 AND status IN (${sqlList(from)})`;
      if (where.ring !== undefined) filter += ` AND ring = $${params.push(where.ring)}`;
      if (where.ids) filter += ` AND id IN (${where.ids.map((id) => `$${params.push(id)}`).join(', ') || 'NULL'})`;
      const moved = (await this.rows(`SELECT ${jobColumns} FROM upkeep.jobs WHERE ${filter}`, params)).map(toJob);
      if (moved.length === 0) return [];
      if (to === 'Queued') for (const job of moved) this.mayHaveQueued.add(job.computer.toLowerCase());
      const finished = finishedJobStatuses.includes(to);
      await this.exec(
        `UPDATE upkeep.jobs SET status = '${to}', finished_at = coalesce($${params.length + 1}::TIMESTAMP, finished_at), reason = coalesce($${params.length + 2}, reason) WHERE ${filter}`,
        [...params, finished ? iso(at) : null, reason ?? null],
      );
      return moved.map((job) => ({ ...job, status: to, ...(finished ? { finishedAt: at } : {}), ...(reason ? { reason } : {}) }));
    });
  }

  /**
   * Hands the oldest queued job of a machine to its agent (assess jobs first: they are quick), or
   * undefined. An install job is handed out only before `latestStart(windowEndsAt)` of its run.
   * No transaction (it made each read ~1.5 times as slow): the queue keeps every other change of
   * the jobs out meanwhile, and the hand-out is one UPDATE.
   */
  takeNextJob(computer: string, agent: { agentId: string; sourceComputerId?: string }, at: Date, latestStart: (windowEndsAt: Date) => Date): Promise<StoredJob | undefined> {
    // Nothing queued for this machine: no need to wait for the queue (a job being queued meanwhile is not committed yet).
    if (!this.mayHaveQueued.has(computer.toLowerCase())) return Promise.resolve(undefined);
    return this.exclusive(async () => {
      const queued = await this.rows(
        `SELECT ${prefixed('j', jobColumns)}, r.window_ends_at AS window_ends_at FROM upkeep.jobs j LEFT JOIN upkeep.runs r ON r.id = j.run_id
         WHERE j.status = 'Queued' AND lower(j.computer) = lower($1) ORDER BY j.kind = 'install', j.created_at, j.seq`,
        [computer],
      );
      for (const row of queued) {
        const job = toJob(row);
        if (job.kind === 'install' && at.getTime() >= latestStart(row.window_ends_at as Date).getTime()) continue;
        const status: JobStatus = job.kind === 'assess' ? 'Delivered' : 'Running';
        checkTransition(jobLifecycle, job.status, status, `Job ${job.id}`);
        await this.exec(
          `UPDATE upkeep.jobs SET status = $1, picked_at = $2::TIMESTAMP, finished_at = $3::TIMESTAMP, agent_id = $4, source_computer_id = $5 WHERE id = $6 AND status = 'Queued'`,
          [status, iso(at), status === 'Delivered' ? iso(at) : null, agent.agentId, agent.sourceComputerId ?? null, job.id],
        );
        return { ...job, status, pickedAt: at, agentId: agent.agentId, ...(agent.sourceComputerId ? { sourceComputerId: agent.sourceComputerId } : {}) };
      }
      if (queued.length === 0) this.mayHaveQueued.delete(computer.toLowerCase());
      return undefined;
    });
  }

  /**
   * Records a machine's reported outcome of its job, only while the job may still go there: a job
   * that has an outcome already (the server canceled it, or its window ran out meanwhile) keeps it,
   * and IllegalTransition says so.
   */
  finishJob(id: string, status: JobStatus, at: Date, reason?: string): Promise<void> {
    return this.exclusive(async () => {
      const { rowsChanged } = await this.exec(
        `UPDATE upkeep.jobs SET status = $1, finished_at = $2::TIMESTAMP, reason = coalesce($3, reason) WHERE id = $4 AND status IN (${sqlList(sourcesOf(jobLifecycle, status))})`,
        [status, iso(at), reason ?? null, id],
      );
      if (rowsChanged > 0) return;
      const current = (await this.rows(`SELECT status FROM upkeep.jobs WHERE id = $1`, [id]))[0];
      if (current) checkTransition(jobLifecycle, current.status as JobStatus, status, `Job ${id}`);
    });
  }

  /** Records the latest status of each update of a job (the last report of a key wins). */
  saveUpdates(jobId: string, updates: readonly UpdateProgress[], at: Date): Promise<void> {
    const latest = new Map(updates.map((u) => [updateKey(u), u]));
    return this.transaction(async () => {
      for (const [key, update] of latest) {
        await this.exec(
          `INSERT INTO upkeep.job_updates VALUES ($1, $2, $3, $4, $5::TIMESTAMP)
           ON CONFLICT (job_id, update_key) DO UPDATE SET status = excluded.status, progress = excluded.progress, changed_at = excluded.changed_at`,
          [jobId, key, update.status, JSON.stringify(update), iso(at)],
        );
      }
    });
  }

  updatesOf(jobId: string): Promise<UpdateProgress[]> {
    return this.exclusive(async () => {
      const rows = await this.rows(`SELECT progress FROM upkeep.job_updates WHERE job_id = $1 ORDER BY update_key`, [jobId]);
      return rows.map((r) => JSON.parse(String(r.progress)) as UpdateProgress);
    });
  }

  /** Per job of a run: how many updates are in each InstallationStatus. */
  updateCounts(runId: string): Promise<Map<string, Partial<Record<InstallationStatus, number>>>> {
    return this.exclusive(async () => {
      const rows = await this.rows(
        `SELECT u.job_id, u.status, count(*)::INTEGER AS n FROM upkeep.job_updates u JOIN upkeep.jobs j ON j.id = u.job_id WHERE j.run_id = $1 GROUP BY ALL`,
        [runId],
      );
      const counts = new Map<string, Partial<Record<InstallationStatus, number>>>();
      for (const r of rows) {
        const job = String(r.job_id);
        counts.set(job, { ...counts.get(job), [String(r.status)]: Number(r.n) });
      }
      return counts;
    });
  }

  private async insertRun(run: StoredRun): Promise<void> {
    await this.exec(
      `INSERT INTO upkeep.runs VALUES ($1, $2, $3, $4, $5::TIMESTAMP, $6::TIMESTAMP, $7, $8, $9, $10, NULL, NULL, false, $11, NULL, $12)`,
      [run.id, run.deploymentId, run.name, run.os, iso(run.scheduledAt), iso(run.windowEndsAt), run.status, run.phase, run.currentRing, run.ringCount, run.reason ?? null, JSON.stringify(run.deployment)],
    );
  }

  private async insertJobs(runId: string | null, kind: JobKind, jobs: readonly NewJob[], at: Date): Promise<void> {
    for (const [seq, job] of jobs.entries()) {
      if (job.status === 'Queued') this.mayHaveQueued.add(job.computer.toLowerCase());
      await this.exec(
        `INSERT INTO upkeep.jobs (id, kind, run_id, computer, ring, seq, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::TIMESTAMP)`,
        [job.id, kind, runId, job.computer, job.ring, seq, job.status, iso(at)],
      );
    }
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    return (await this.conn.runAndReadAll(this.qualified(sql), params)).getRowObjectsJS() as Row[];
  }

  private exec(sql: string, params: DuckDBValue[] = []): Promise<{ rowsChanged: number }> {
    return this.conn.run(this.qualified(sql), params);
  }

  private qualified(sql: string): string {
    return sql.replace(/\bupkeep\./g, `${this.schema}.`);
  }

  private transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        const result = await work();
        await this.exec('COMMIT');
        return result;
      } catch (error) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Runs `work` after everything queued before it; the queue goes on if it fails. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** An update's identity within a job: Windows UpdateID or KB, Linux package and arch. */
export function updateKey(update: UpdateProgress): string {
  return update.updateId || (update.kbId ? `KB${update.kbId}` : '') || `${update.product ?? update.title}|${update.productArch ?? ''}`;
}

/** States as a SQL list; they come from the lifecycle tables, never from a request. */
function sqlList(states: readonly string[]): string {
  return states.map((s) => `'${s}'`).join(', ') || 'NULL';
}

function prefixed(alias: string, columns: string): string {
  return columns.split(',').map((c) => `${alias}.${c.trim()}`).join(', ');
}

function iso(date: Date): string {
  return date.toISOString();
}

function optionalDate(value: unknown): Date | undefined {
  return value instanceof Date ? value : undefined;
}

function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function toRun(r: Row): StoredRun {
  const run: StoredRun = {
    id: String(r.id),
    deploymentId: String(r.deployment_id),
    name: String(r.name),
    os: r.os as OsType,
    scheduledAt: r.scheduled_at as Date,
    windowEndsAt: r.window_ends_at as Date,
    status: r.status as RunStatus,
    phase: r.phase as RunPhase,
    currentRing: Number(r.current_ring),
    ringCount: Number(r.ring_count),
    cancelRequested: r.cancel_requested === true,
    deployment: JSON.parse(String(r.deployment)) as Deployment,
  };
  const startedAt = optionalDate(r.started_at);
  if (startedAt) run.startedAt = startedAt;
  const endedAt = optionalDate(r.ended_at);
  if (endedAt) run.endedAt = endedAt;
  const reason = optionalText(r.reason);
  if (reason) run.reason = reason;
  const postWebhook = optionalText(r.post_webhook);
  if (postWebhook) run.postWebhook = postWebhook;
  return run;
}

function toJob(r: Row): StoredJob {
  const job: StoredJob = {
    id: String(r.id),
    kind: r.kind as JobKind,
    computer: String(r.computer),
    ring: Number(r.ring),
    status: r.status as JobStatus,
    createdAt: r.created_at as Date,
  };
  const runId = optionalText(r.run_id);
  if (runId) job.runId = runId;
  const pickedAt = optionalDate(r.picked_at);
  if (pickedAt) job.pickedAt = pickedAt;
  const finishedAt = optionalDate(r.finished_at);
  if (finishedAt) job.finishedAt = finishedAt;
  const agentId = optionalText(r.agent_id);
  if (agentId) job.agentId = agentId;
  const sourceComputerId = optionalText(r.source_computer_id);
  if (sourceComputerId) job.sourceComputerId = sourceComputerId;
  const reason = optionalText(r.reason);
  if (reason) job.reason = reason;
  return job;
}
