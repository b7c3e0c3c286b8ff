/**
 * Update runs as one service for the server: the store (own connection of the server's DuckDB
 * instance), the run engine, the agent job protocol and the scheduler, started and stopped with
 * the server.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { occurrencesBetween as defaultOccurrencesBetween } from '../schedule/recurrence.js';
import { Scheduler, type DeploymentSource, type OccurrencesBetween } from '../scheduler/scheduler.js';
import { systemClock, type Clock } from '../../../contracts/clock.js';
import { JobService } from './job-service.js';
import { JobWaiters } from './job-waiters.js';
import type { ProgressSink } from './progress-records.js';
import { RunEngine, type GroupEvaluator } from './run-engine.js';
import { RunStore } from './run-store.js';
import type { WebhookOptions } from './webhooks.js';

export interface UpdateRunsOptions {
  instance: DuckDBInstance;
  deployments: DeploymentSource;
  /** Where UpdateRunProgress rows go (the server's ingestor). */
  sink: ProgressSink;
  clock?: Clock;
  evaluateGroup?: GroupEvaluator;
  occurrencesBetween?: OccurrencesBetween;
  webhooks?: WebhookOptions;
  tickMs?: number;
  reportGraceMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export class UpdateRuns {
  private constructor(
    readonly store: RunStore,
    readonly engine: RunEngine,
    readonly jobs: JobService,
    readonly scheduler: Scheduler,
    readonly deployments: DeploymentSource,
    private readonly waiters: JobWaiters,
  ) {}

  static async open(o: UpdateRunsOptions): Promise<UpdateRuns> {
    const clock = o.clock ?? systemClock;
    const store = await RunStore.open(o.instance);
    const waiters = new JobWaiters(clock);
    const engine = new RunEngine({
      store,
      clock,
      sink: o.sink,
      waiters,
      ...(o.evaluateGroup ? { evaluateGroup: o.evaluateGroup } : {}),
      ...(o.webhooks ? { webhooks: o.webhooks } : {}),
      ...(o.reportGraceMs !== undefined ? { reportGraceMs: o.reportGraceMs } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    const scheduler = new Scheduler({
      deployments: o.deployments,
      occurrencesBetween: o.occurrencesBetween ?? defaultOccurrencesBetween,
      engine,
      clock,
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    return new UpdateRuns(store, engine, new JobService(engine, clock, waiters), scheduler, o.deployments, waiters);
  }

  start(): void {
    this.scheduler.start();
  }

  /** Stops the scheduler and answers waiting long polls with "no job"; the store stays open for requests in flight. */
  async stop(): Promise<void> {
    this.jobs.shutdown();
    this.waiters.releaseAll();
    await this.scheduler.stop();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.store.close();
    this.deployments.close?.();
  }
}
