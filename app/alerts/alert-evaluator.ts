/**
 * Runs the rules on the injected Clock: every tick, each enabled rule evaluates the periods that
 * ended since its cursor, oldest first, each exactly once (see AlertStore.commitPeriod). After a
 * long stop only the last `maxCatchUpPeriods` are evaluated; the ones before are recorded as one
 * explicit `Skipped` record, never silently dropped.
 *
 * A period's records and notifications go through the store's outbox: committed with the period,
 * then delivered — records through the durable writer with the outbox entry's id as batch id (a
 * retry after a crash is not stored twice), notifications as webhook POSTs retried with
 * exponential backoff. Webhooks are at least once across a crash mid-delivery.
 */
import { callWebhook, type WebhookOutcome } from '../updates/runs/webhooks.js';
import type { Clock, TimerHandle } from '../../contracts/clock.js';
import { durationMs } from '../../contracts/timespan.js';
import type { AlertEvaluationRow, AlertInstance, AlertRule, EvaluationPreview } from '../../contracts/alerts.js';
import type { AlertStore, OutboxEntry } from './alert-store.js';
import { evaluatePeriod, record, RULE_WIDE, type Period, type QueryOutcome } from './evaluate.js';
import { countDue, initialCursor } from './periods.js';
import type { AlertQueryRunner, SavedSearchSource } from './sources.js';

export interface BackoffOptions {
  /** Retries after the first attempt. */
  retries: number;
  firstDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
}

export const defaultBackoff: BackoffOptions = { retries: 4, firstDelayMs: 1_000, maxDelayMs: 30_000, timeoutMs: 10_000 };

export interface AlertEvaluatorOptions {
  store: AlertStore;
  queries: AlertQueryRunner;
  /** Where AlertEvaluation records go (the server's ingestor); resolves once committed. */
  sink: (rows: AlertEvaluationRow[], batchId: string) => Promise<void>;
  clock: Clock;
  savedSearches?: SavedSearchSource;
  tickMs?: number;
  maxCatchUpPeriods?: number;
  backoff?: BackoffOptions;
  log?: (message: string, error?: unknown) => void;
}

/** Delays before each retry: first, 2·first, 4·first, … capped at max. */
export function backoffDelays(o: BackoffOptions): number[] {
  return Array.from({ length: o.retries }, (_, i) => Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** i));
}

export class AlertEvaluator {
  private timer: TimerHandle | undefined;
  private stopped = true;
  private ticking: Promise<void> | undefined;
  private delivering: Promise<void> = Promise.resolve();
  private deliveryQueued = false;

  constructor(private readonly o: AlertEvaluatorOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.ticking?.catch(() => undefined);
    await this.settled();
  }

  /** Resolves when everything committed so far has been delivered (or given up on). */
  async settled(): Promise<void> {
    await this.delivering;
  }

  /** One pass over every enabled rule; a tick asked for while one runs shares it. */
  tick(): Promise<void> {
    this.ticking ??= this.tickOnce().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Evaluates the period ending now from the stored states, storing and sending nothing. */
  async preview(rule: AlertRule): Promise<EvaluationPreview> {
    const end = this.o.clock.now();
    const period = { start: new Date(end.getTime() - frequencyOf(rule)), end };
    const { outcome, text } = await this.runQuery(rule, end);
    const previous = await this.previousOf(rule.id);
    const ran = outcome === 'busy' ? { ok: false as const, error: 'the server is busy with other queries; try again in a moment' } : outcome;
    const evaluated = evaluatePeriod(rule, period, ran, previous, end, text);
    return {
      rule: { id: rule.id, name: rule.name },
      period: { start: period.start.toISOString(), end: end.toISOString() },
      instances: evaluated.rows.map((r) => ({ dimensions: r.Instance, value: r.Value ?? null, outcome: r.Reason, state: r.State as AlertInstance['state'], previousState: r.PreviousState as AlertInstance['state'] | '' })),
      ...(!ran.ok ? { error: ran.error } : {}),
    };
  }

  private loop(): void {
    if (this.stopped) return;
    this.tick()
      .catch((error: unknown) => this.o.log?.('alert evaluation tick failed; trying again at the next tick', error))
      .finally(() => {
        if (!this.stopped) this.timer = this.o.clock.setTimer(this.o.tickMs ?? 15_000, () => this.loop());
      });
  }

  private async tickOnce(): Promise<void> {
    for (const rule of await this.o.store.list()) {
      if (!rule.enabled) continue;
      try {
        await this.evaluateDue(rule);
      } catch (error) {
        this.o.log?.(`alert rule ${rule.id} (${rule.name}) could not be evaluated; trying again at the next tick`, error);
      }
    }
    this.deliver();
  }

  /** The periods that ended since the cursor, oldest first; stops at the first that cannot be committed. */
  private async evaluateDue(rule: AlertRule): Promise<void> {
    const frequency = frequencyOf(rule);
    const now = this.o.clock.now().getTime();
    let cursor = await this.o.store.cursor(rule.id);
    const from = cursor?.getTime() ?? initialCursor(frequency, Date.parse(rule.createdAt));
    const due = countDue(frequency, from, now);
    const bound = this.o.maxCatchUpPeriods ?? 12;
    let next = (Math.floor(from / frequency) + 1) * frequency;
    if (due > bound) {
      const skippedEnd = next + (due - bound - 1) * frequency;
      if (!(await this.commitSkipped(rule, cursor, { start: new Date(next - frequency), end: new Date(skippedEnd) }, due - bound))) return;
      cursor = new Date(skippedEnd);
      next = skippedEnd + frequency;
    }
    for (; next <= now; next += frequency) {
      const committed = await this.evaluateOne(rule, cursor, { start: new Date(next - frequency), end: new Date(next) });
      if (!committed) return;
      cursor = new Date(next);
    }
  }

  private async evaluateOne(rule: AlertRule, cursor: Date | undefined, period: Period): Promise<boolean> {
    const { outcome, text } = await this.runQuery(rule, period.end);
    if (outcome === 'busy') return false; // not evaluated: the period stays due for the next tick
    const previous = await this.previousOf(rule.id);
    const evaluated = evaluatePeriod(rule, period, outcome, previous, this.o.clock.now(), text);
    return this.o.store.commitPeriod({
      ruleId: rule.id,
      expectedCursor: cursor,
      periodEnd: period.end,
      instances: evaluated.instances,
      removed: evaluated.removed,
      outbox: {
        batchId: batchIdOf(rule, period.end),
        ruleId: rule.id,
        rows: evaluated.rows,
        notifications: evaluated.notifications.map((payload) => ({ webhooks: rule.actions.webhooks, payload })),
      },
    });
  }

  private commitSkipped(rule: AlertRule, cursor: Date | undefined, span: Period, count: number): Promise<boolean> {
    const reason = `${count} period${count === 1 ? '' : 's'} from ${span.start.toISOString()} to ${span.end.toISOString()} were not evaluated (the server was stopped longer than the ${this.o.maxCatchUpPeriods ?? 12} periods it catches up on); evaluation goes on from ${span.end.toISOString()}.`;
    const row = record(rule, span, {}, 'Skipped', '', null, reason, '', this.o.clock.now());
    return this.o.store.commitPeriod({ ruleId: rule.id, expectedCursor: cursor, periodEnd: span.end, instances: [], removed: [], outbox: { batchId: `${batchIdOf(rule, span.end)}-skipped`, ruleId: rule.id, rows: [row], notifications: [] } });
  }

  private async runQuery(rule: AlertRule, end: Date): Promise<{ outcome: QueryOutcome | 'busy'; text: string }> {
    const source = this.textOf(rule);
    if (!source.ok) return { outcome: { ok: false, error: source.error }, text: '' };
    const lookback = durationMs(rule.lookback) ?? 0;
    const ran = await this.o.queries.run({ text: source.text, window: { startMs: end.getTime() - lookback, endMs: end.getTime() }, now: end });
    if (!ran.ok) {
      if ('busy' in ran) return { outcome: 'busy', text: source.text };
      return { outcome: { ok: false, error: ran.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ') }, text: source.text };
    }
    if (ran.result.truncated) return { outcome: { ok: false, error: `the query returned more rows than the server's row limit (${ran.result.rows.length} kept); summarize in the query so the measure sees every row` }, text: source.text };
    return { outcome: { ok: true, result: ran.result }, text: source.text };
  }

  private textOf(rule: AlertRule): { ok: true; text: string } | { ok: false; error: string } {
    if (rule.query !== undefined) return { ok: true, text: rule.query };
    const saved = this.o.savedSearches?.find(rule.savedSearchId!);
    return saved ? { ok: true, text: saved.query } : { ok: false, error: `the saved search "${rule.savedSearchId}" does not exist any more; point the rule at another one (savedSearchId) or give its query.` };
  }

  private async previousOf(ruleId: string): Promise<Map<string, AlertInstance>> {
    return new Map((await this.o.store.instances(ruleId)).map((i) => [i.key, i]));
  }

  /** Delivers the outbox in order, one drain at a time; a failed ingestion stops the drain until the next tick. */
  private deliver(): void {
    if (this.deliveryQueued) return;
    this.deliveryQueued = true;
    this.delivering = this.delivering.then(async () => {
      this.deliveryQueued = false;
      for (const entry of await this.o.store.outbox()) {
        try {
          await this.o.sink(entry.rows, entry.batchId);
        } catch (error) {
          this.o.log?.(`AlertEvaluation records of ${entry.batchId} could not be stored; trying again at the next tick`, error);
          return;
        }
        await this.notify(entry);
        await this.o.store.delivered(entry.batchId);
      }
    }).catch((error: unknown) => this.o.log?.('alert delivery failed; trying again at the next tick', error));
  }

  private async notify(entry: OutboxEntry): Promise<void> {
    const backoff = this.o.backoff ?? defaultBackoff;
    const sends: Promise<WebhookOutcome>[] = [];
    for (const n of entry.notifications) {
      for (const url of n.webhooks) {
        sends.push(callWebhook(url, n.payload, { timeoutMs: backoff.timeoutMs, retryDelaysMs: backoffDelays(backoff) }).then((outcome) => {
          if (!outcome.ok) this.o.log?.(`alert webhook ${url} for rule ${n.payload.rule.name} (${n.payload.state}) failed after ${outcome.attempts} attempts: ${outcome.error}`);
          return outcome;
        }));
      }
    }
    await Promise.all(sends);
  }
}

export function frequencyOf(rule: AlertRule): number {
  return durationMs(rule.frequency) ?? 300_000;
}

function batchIdOf(rule: AlertRule, end: Date): string {
  return `alert-${rule.id}-${end.toISOString()}`;
}

export { RULE_WIDE };
