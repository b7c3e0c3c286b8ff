/**
 * The scheduler: at every tick it claims the occurrences of each enabled deployment that fell due
 * since the last one it recorded (an occurrence is claimed exactly once: see RunStore), starts a
 * run for each whose window is still open (else records it as Missed), and moves the unfinished
 * runs on. Ticks come from the injected Clock, so tests drive a week of schedules in seconds.
 */
import { REBOOT_RESERVE_MINUTES, type Deployment, type Schedule } from '../../../contracts/updates.js';
import type { Clock, TimerHandle } from '../../../contracts/clock.js';
import type { RunEngine } from '../runs/run-engine.js';

export interface DeploymentSource {
  list(): Promise<Deployment[]>;
  get(id: string): Promise<Deployment | undefined>;
  close?(): void;
}

export type OccurrencesBetween = (schedule: Schedule, fromExclusive: Date, toInclusive: Date) => Date[];

export interface SchedulerOptions {
  deployments: DeploymentSource;
  occurrencesBetween: OccurrencesBetween;
  engine: RunEngine;
  clock: Clock;
  /** Time between ticks (default 5 s). */
  tickMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface TickSummary {
  started: number;
  missed: number;
}

export class Scheduler {
  private timer: TimerHandle | undefined;
  private running: Promise<TickSummary> | undefined;
  private stopped = true;

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop();
  }

  /** Stops ticking and waits for the tick and the run advances in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.o.engine.settled();
  }

  /** One pass; a tick asked for while one runs shares its result. */
  tick(): Promise<TickSummary> {
    this.running ??= this.tickOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private loop(): void {
    if (this.stopped) return;
    this.tick()
      .catch((error: unknown) => this.o.log?.('scheduler tick failed; trying again at the next tick', error))
      .finally(() => {
        if (!this.stopped) this.timer = this.o.clock.setTimer(this.o.tickMs ?? 5_000, () => this.loop());
      });
  }

  private async tickOnce(): Promise<TickSummary> {
    const summary: TickSummary = { started: 0, missed: 0 };
    const now = this.o.clock.now();
    for (const deployment of await this.o.deployments.list()) {
      if (!deployment.enabled) continue;
      try {
        const claimed = await this.claimDue(deployment, now);
        summary.started += claimed.started;
        summary.missed += claimed.missed;
      } catch (error) {
        this.o.log?.(`deployment ${deployment.id} (${deployment.name}): occurrences could not be claimed; trying again at the next tick`, error);
      }
    }
    await this.o.engine.advanceActive();
    return summary;
  }

  /**
   * The occurrences after the last one recorded (or after the deployment's last change: an edited
   * schedule does not reach back before the edit) up to now.
   */
  private async claimDue(deployment: Deployment, now: Date): Promise<TickSummary> {
    const store = this.o.engine.store;
    const last = await store.lastOccurrence(deployment.id);
    const changed = new Date(Math.max(Date.parse(deployment.createdAt), Date.parse(deployment.updatedAt || deployment.createdAt)));
    const from = last && last > changed ? last : changed;
    const due = this.o.occurrencesBetween(deployment.schedule, from, now);
    const summary: TickSummary = { started: 0, missed: 0 };
    for (const scheduledAt of due) {
      const latestStart = scheduledAt.getTime() + (deployment.windowMinutes - REBOOT_RESERVE_MINUTES) * 60_000;
      if (now.getTime() >= latestStart) {
        if (await store.claimOccurrence({ deploymentId: deployment.id, scheduledAt, outcome: 'Missed' }, now)) summary.missed += 1;
        continue;
      }
      const prepared = await this.o.engine.prepareRun(deployment, scheduledAt);
      if (await store.claimOccurrence({ deploymentId: deployment.id, scheduledAt, outcome: 'Run', runId: prepared.run.id }, now, prepared)) {
        summary.started += 1;
        await this.o.engine.advance(prepared.run.id).catch((error: unknown) => this.o.log?.(`run ${prepared.run.id} could not start yet; retrying at the next tick`, error));
      }
    }
    return summary;
  }
}
