/**
 * One period of one rule, as a pure function: the query's outcome and the instances' previous
 * states in; the instances' next states, the AlertEvaluation records and the notifications out.
 * Nothing here reads a clock, the store or the network, so every transition is tested as a table.
 *
 * Per instance and period the outcome is failing, clear or NoData:
 *   failing → Firing when at least M of the last N periods failed (Pending before that);
 *   clear   → a firing instance resolves after `autoResolveAfter` clear periods in a row
 *             (Resolved for that period, Normal after); otherwise Normal;
 *   NoData  → counts as a period that did not fail, neither clears nor fails a firing instance.
 * A query that fails puts the rule-wide instance "{}" in Error with the reason; instances keep
 * their history and pick up from it when the query runs again.
 * Notifications go out on changes to Firing and to Resolved, unless the instance is muted
 * (`muteFor` after its last notification).
 */
import { hostname } from 'node:os';
import { durationMs } from '../../contracts/timespan.js';
import type { AlertEvaluationRow, AlertInstance, AlertNotification, AlertRule, AlertState, DimensionValue } from '../../contracts/alerts.js';
import { measureInstances, valueOfNoRows, type MeasuredInstance } from './measure.js';
import type { QueryResult } from '../../language/values/result.js';

export interface Period {
  start: Date;
  end: Date;
}

export type QueryOutcome = { ok: true; result: Pick<QueryResult, 'columns' | 'rows'> } | { ok: false; error: string };

export interface PeriodEvaluation {
  /** Instances to store (inserted or replaced). */
  instances: AlertInstance[];
  /** Instances to forget: back to Normal with nothing left in their history, and absent from the result. */
  removed: string[];
  rows: AlertEvaluationRow[];
  notifications: AlertNotification[];
  queryText: string;
}

export const RULE_WIDE = '{}';

type Outcome = 'failing' | 'clear' | 'nodata';

/** `queryText`: what the notification's workbench link searches (the saved search's name, when the rule uses one). */
export function evaluatePeriod(rule: AlertRule, period: Period, outcome: QueryOutcome, previous: ReadonlyMap<string, AlertInstance>, evaluatedAt: Date, queryText = rule.query ?? ''): PeriodEvaluation {
  const out: PeriodEvaluation = { instances: [], removed: [], rows: [], notifications: [], queryText };
  if (!outcome.ok) return ruleWideError(rule, period, outcome.error, previous, evaluatedAt, out);
  let measured: MeasuredInstance[];
  try {
    measured = measureInstances(rule, outcome.result);
  } catch (error) {
    return ruleWideError(rule, period, (error as Error).message, previous, evaluatedAt, out);
  }
  const seen = new Set(measured.map((m) => m.key));
  const absent = [...previous.values()].filter((p) => !seen.has(p.key));
  for (const instance of absent) {
    if (instance.key === RULE_WIDE && rule.dimensions.length > 0) {
      // The rule-wide Error instance of a rule with dimensions: the query runs again.
      out.rows.push(record(rule, period, instance.dimensions, 'Normal', instance.state, null, 'The query runs again.', '', evaluatedAt));
      out.removed.push(instance.key);
    } else if (!instance.firing && !instance.history.includes(true)) {
      out.removed.push(instance.key);
    } else {
      measured.push({ key: instance.key, dimensions: instance.dimensions, value: valueOfNoRows(rule.measure) });
    }
  }
  for (const m of measured) step(rule, period, m, previous.get(m.key), evaluatedAt, out);
  return out;
}

function step(rule: AlertRule, period: Period, m: MeasuredInstance, before: AlertInstance | undefined, evaluatedAt: Date, out: PeriodEvaluation): void {
  const prev = before ?? fresh(rule, m, period);
  const outcome: Outcome = m.value === null ? 'nodata' : compare(m.value, rule.operator, rule.threshold) ? 'failing' : 'clear';
  const history = [...prev.history, outcome === 'failing'].slice(-rule.evaluationPeriods);
  const failed = history.filter(Boolean).length;
  let { firing, clearStreak } = prev;
  let state: AlertState;
  let reason: string;
  const shown = m.value === null ? '' : formatNumber(m.value);
  if (outcome === 'nodata') {
    state = 'NoData';
    reason = `No rows${rule.dimensions.length > 0 ? ' for this instance' : ''} in the lookback window: ${describeMeasure(rule)} needs rows.`;
  } else if (outcome === 'failing') {
    clearStreak = 0;
    const tally = `${failed} of the last ${history.length} period${history.length === 1 ? '' : 's'} failed; fires at ${rule.failingPeriods} of ${rule.evaluationPeriods}`;
    if (!firing && failed >= rule.failingPeriods) firing = true;
    state = firing ? 'Firing' : 'Pending';
    reason = `${describeMeasure(rule)} = ${shown} ${rule.operator} ${rule.threshold} (${tally}).`;
  } else if (firing) {
    clearStreak += 1;
    const resolved = clearStreak >= rule.autoResolveAfter;
    state = resolved ? 'Resolved' : 'Firing';
    reason = `${describeMeasure(rule)} = ${shown}, not ${rule.operator} ${rule.threshold} (${clearStreak} clear period${clearStreak === 1 ? '' : 's'} in a row; resolves at ${rule.autoResolveAfter}).`;
    if (resolved) firing = false;
  } else {
    clearStreak = 0;
    state = 'Normal';
    reason = `${describeMeasure(rule)} = ${shown}, not ${rule.operator} ${rule.threshold}.`;
  }
  const resolvedNow = state === 'Resolved';
  const next: AlertInstance = {
    ...prev,
    dimensions: m.dimensions,
    state,
    history: resolvedNow ? [] : history,
    firing,
    clearStreak: resolvedNow ? 0 : clearStreak,
    value: m.value,
    reason,
    changedAt: state !== prev.state || !before ? evaluatedAt.toISOString() : prev.changedAt,
    evaluatedAt: evaluatedAt.toISOString(),
    periodEnd: period.end.toISOString(),
  };
  const notification = notifyIfDue(rule, period, next, { state: before?.state ?? 'Normal', firing: prev.firing }, evaluatedAt, out);
  out.instances.push(notification.instance);
  out.rows.push(record(rule, period, m.dimensions, state, before?.state ?? '', m.value, reason, notification.note, evaluatedAt));
}

/** Firing again after NoData or Error is the same open alert, not a new one: only a change of `firing` notifies. */
function notifyIfDue(rule: AlertRule, period: Period, next: AlertInstance, before: { state: AlertState; firing: boolean }, evaluatedAt: Date, out: PeriodEvaluation): { instance: AlertInstance; note: string } {
  const previousState = before.state;
  if (next.firing === before.firing) return { instance: next, note: '' };
  if (next.mutedUntil && Date.parse(next.mutedUntil) > period.end.getTime()) return { instance: next, note: `muted until ${next.mutedUntil}` };
  if (rule.actions.webhooks.length === 0) return { instance: next, note: 'no webhooks' };
  out.notifications.push(notificationOf(rule, period, next, previousState, evaluatedAt, out.queryText));
  const mute = durationMs(rule.muteFor) ?? 0;
  const mutedUntil = mute > 0 ? new Date(period.end.getTime() + mute).toISOString() : undefined;
  const instance: AlertInstance = { ...next, ...(mutedUntil ? { mutedUntil } : {}) };
  if (!mutedUntil) delete instance.mutedUntil;
  return { instance, note: `sent to ${rule.actions.webhooks.length} webhook${rule.actions.webhooks.length === 1 ? '' : 's'}` };
}

function ruleWideError(rule: AlertRule, period: Period, error: string, previous: ReadonlyMap<string, AlertInstance>, evaluatedAt: Date, out: PeriodEvaluation): PeriodEvaluation {
  const before = previous.get(RULE_WIDE);
  const base = before ?? fresh(rule, { key: RULE_WIDE, dimensions: {}, value: null }, period);
  const reason = `The query failed: ${error}`;
  out.instances.push({
    ...base,
    state: 'Error',
    value: null,
    reason,
    changedAt: base.state !== 'Error' || !before ? evaluatedAt.toISOString() : base.changedAt,
    evaluatedAt: evaluatedAt.toISOString(),
    periodEnd: period.end.toISOString(),
  });
  out.rows.push(record(rule, period, {}, 'Error', before?.state ?? '', null, reason, '', evaluatedAt));
  return out;
}

function fresh(rule: AlertRule, m: MeasuredInstance, period: Period): AlertInstance {
  return {
    ruleId: rule.id, key: m.key, dimensions: m.dimensions, state: 'Normal', history: [], firing: false, clearStreak: 0,
    value: null, reason: '', changedAt: period.end.toISOString(), evaluatedAt: period.end.toISOString(), periodEnd: period.end.toISOString(),
  };
}

export function record(rule: AlertRule, period: Period, instance: Record<string, DimensionValue>, state: AlertEvaluationRow['State'], previousState: string, value: number | null, reason: string, notification: string, at: Date): AlertEvaluationRow {
  return {
    TimeGenerated: at.toISOString(),
    RuleId: rule.id,
    RuleName: rule.name,
    Instance: instance,
    Computer: typeof instance.Computer === 'string' && instance.Computer !== '' ? instance.Computer : hostname(),
    State: state,
    PreviousState: previousState,
    StateChanged: state !== previousState,
    ...(value !== null ? { Value: value } : {}),
    Threshold: rule.threshold,
    Operator: rule.operator,
    Severity: rule.severity,
    Reason: reason,
    PeriodStart: period.start.toISOString(),
    PeriodEnd: period.end.toISOString(),
    Notification: notification,
  };
}

export function notificationOf(rule: AlertRule, period: Period, instance: AlertInstance, previousState: AlertState, at: Date, queryText: string): AlertNotification {
  return {
    schemaId: 'upkeep.alert/1',
    rule: { id: rule.id, name: rule.name, description: rule.description, severity: rule.severity, operator: rule.operator, threshold: rule.threshold, measure: rule.measure },
    instance: instance.dimensions,
    state: instance.state as 'Firing' | 'Resolved',
    previousState,
    value: instance.value,
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    link: searchLink(rule, period, queryText),
    firedAt: at.toISOString(),
  };
}

/** The workbench's log search over the period's lookback window (its URL state: q and t). */
export function searchLink(rule: AlertRule, period: Period, queryText: string): string {
  const lookback = durationMs(rule.lookback) ?? 0;
  const params = new URLSearchParams({ q: queryText, t: `${new Date(period.end.getTime() - lookback).toISOString()}/${period.end.toISOString()}` });
  return `/search?${params.toString()}`;
}

export function compare(value: number, operator: AlertRule['operator'], threshold: number): boolean {
  switch (operator) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return value === threshold;
    case '!=': return value !== threshold;
  }
}

function describeMeasure(rule: AlertRule): string {
  return rule.measure.kind === 'rowCount' ? 'row count' : `${rule.measure.aggregation}(${rule.measure.column})`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}
