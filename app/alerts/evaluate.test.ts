/** The period transitions as tables: each row is a sequence of measured values and the states they lead to. */
import { describe, expect, it } from 'vitest';
import type { AlertInstance, AlertRule } from '../../contracts/alerts.js';
import { evaluatePeriod, type QueryOutcome } from './evaluate.js';
import { measureInstances } from './measure.js';
import { duePeriodEnds, countDue, initialCursor } from './periods.js';

const MIN = 60_000;
const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r1', name: 'rule', description: '', query: 'T', frequency: 'PT5M', lookback: 'PT1H', measure: { kind: 'rowCount' }, operator: '>', threshold: 0,
  failingPeriods: 1, evaluationPeriods: 1, dimensions: [], severity: 2, autoResolveAfter: 1, muteFor: 'PT0S', enabled: true,
  actions: { webhooks: ['http://127.0.0.1:1/hook'] }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z', ...over,
});
const columns = [{ name: 'Computer', type: 'string' as const }, { name: 'N', type: 'long' as const }];
const rowsOf = (n: number): QueryOutcome => ({ ok: true, result: { columns, rows: Array.from({ length: n }, (_, i) => [`m${i}`, i]) } });

/** Runs one no-dimension instance through `counts` (row counts; 'err' = query failed), returns states and notification kinds. */
function run(r: AlertRule, counts: (number | 'err')[]): { states: string[]; sent: string[]; notes: string[] } {
  let previous = new Map<string, AlertInstance>();
  const states: string[] = [];
  const sent: string[] = [];
  const notes: string[] = [];
  counts.forEach((c, i) => {
    const end = new Date(Date.UTC(2024, 0, 1) + (i + 1) * 5 * MIN);
    const period = { start: new Date(end.getTime() - 5 * MIN), end };
    const out = evaluatePeriod(r, period, c === 'err' ? { ok: false, error: 'boom' } : rowsOf(c), previous, end);
    previous = new Map(out.instances.map((x) => [x.key, x]));
    states.push(out.rows.map((row) => row.State).join(','));
    notes.push(out.rows.map((row) => row.Notification).join(','));
    sent.push(...out.notifications.map((n) => n.state));
  });
  return { states, sent, notes };
}

describe('state transitions', () => {
  it.each([
    ['1 of 1 fires at once, resolves after 1 clear', rule(), [0, 2, 2, 0, 0], ['Normal', 'Firing', 'Firing', 'Resolved', 'Normal'], ['Firing', 'Resolved']],
    ['2 of 3: one failing period is Pending', rule({ failingPeriods: 2, evaluationPeriods: 3 }), [1, 0, 1, 0], ['Pending', 'Normal', 'Firing', 'Resolved'], ['Firing', 'Resolved']],
    ['2 of 3: failures 3 periods apart never fire', rule({ failingPeriods: 2, evaluationPeriods: 3 }), [1, 0, 0, 1, 0, 0, 1], ['Pending', 'Normal', 'Normal', 'Pending', 'Normal', 'Normal', 'Pending'], []],
    ['3 of 3 needs three in a row', rule({ failingPeriods: 3, evaluationPeriods: 3 }), [1, 1, 1], ['Pending', 'Pending', 'Firing'], ['Firing']],
    ['auto-resolve after 2 clear periods; a failure resets the streak', rule({ autoResolveAfter: 2 }), [1, 0, 1, 0, 0, 0], ['Firing', 'Firing', 'Firing', 'Firing', 'Resolved', 'Normal'], ['Firing', 'Resolved']],
    ['an error keeps the open alert open, without a second notification', rule(), [1, 'err', 1, 0], ['Firing', 'Error', 'Firing', 'Resolved'], ['Firing', 'Resolved']],
    ['operator <: fewer than the threshold fails', rule({ operator: '<', threshold: 2 }), [3, 1, 2], ['Normal', 'Firing', 'Resolved'], ['Firing', 'Resolved']],
  ])('%s', (_name, r, counts, states, sent) => {
    const out = run(r, counts as (number | 'err')[]);
    expect(out.states).toEqual(states);
    expect(out.sent).toEqual(sent);
  });

  it('mute: after notifying, changes within muteFor are recorded but not sent', () => {
    // 5-minute periods ending at :05, :10, …; muted 12 minutes after each notification sent.
    const out = run(rule({ muteFor: 'PT12M' }), [1, 0, 1, 0, 0, 0, 0, 1]);
    expect(out.states).toEqual(['Firing', 'Resolved', 'Firing', 'Resolved', 'Normal', 'Normal', 'Normal', 'Firing']);
    expect(out.sent).toEqual(['Firing', 'Resolved', 'Firing']);
    expect(out.notes).toEqual(['sent to 1 webhook', 'muted until 2024-01-01T00:17:00.000Z', 'muted until 2024-01-01T00:17:00.000Z', 'sent to 1 webhook', '', '', '', 'sent to 1 webhook']);
  });
});

describe('measures and NoData', () => {
  const result = { columns: [{ name: 'Computer', type: 'string' as const }, { name: 'V', type: 'real' as const }], rows: [['a', 1], ['a', 3], ['b', null], ['c', 5]] };
  it.each([
    [{ kind: 'rowCount' as const }, { '{"Computer":"a"}': 2, '{"Computer":"b"}': 1, '{"Computer":"c"}': 1 }],
    [{ kind: 'column' as const, aggregation: 'avg' as const, column: 'V' }, { '{"Computer":"a"}': 2, '{"Computer":"b"}': null, '{"Computer":"c"}': 5 }],
    [{ kind: 'column' as const, aggregation: 'count' as const, column: 'V' }, { '{"Computer":"a"}': 2, '{"Computer":"b"}': 0, '{"Computer":"c"}': 1 }],
    [{ kind: 'column' as const, aggregation: 'sum' as const, column: 'V' }, { '{"Computer":"a"}': 4, '{"Computer":"b"}': null, '{"Computer":"c"}': 5 }],
    [{ kind: 'column' as const, aggregation: 'min' as const, column: 'V' }, { '{"Computer":"a"}': 1, '{"Computer":"b"}': null, '{"Computer":"c"}': 5 }],
    [{ kind: 'column' as const, aggregation: 'max' as const, column: 'V' }, { '{"Computer":"a"}': 3, '{"Computer":"b"}': null, '{"Computer":"c"}': 5 }],
  ])('%j by Computer', (measure, expected) => {
    const values = Object.fromEntries(measureInstances({ dimensions: ['Computer'], measure }, result).map((m) => [m.key, m.value]));
    expect(values).toEqual(expected);
  });

  it('no rows: a row count is 0 (clear); an aggregate is NoData, which neither fails nor resolves', () => {
    const none: QueryOutcome = { ok: true, result: { columns: [{ name: 'V', type: 'real' }], rows: [] } };
    const period = { start: new Date(0), end: new Date(5 * MIN) };
    expect(evaluatePeriod(rule(), period, none, new Map(), period.end).rows.map((r) => [r.State, r.Value])).toEqual([['Normal', 0]]);
    const avg = rule({ measure: { kind: 'column', aggregation: 'avg', column: 'V' }, operator: '>', threshold: 1 });
    const firing = evaluatePeriod(avg, period, { ok: true, result: { columns: [{ name: 'V', type: 'real' }], rows: [[5]] } }, new Map(), period.end);
    const next = evaluatePeriod(avg, { start: period.end, end: new Date(10 * MIN) }, none, new Map(firing.instances.map((i) => [i.key, i])), new Date(10 * MIN));
    expect(next.rows[0]).toMatchObject({ State: 'NoData', PreviousState: 'Firing', Reason: expect.stringMatching(/No rows/) });
    expect(next.instances[0]!.firing).toBe(true);
    expect(next.notifications).toEqual([]);
  });

  it('dimensions: each combination is an instance; absent instances count 0 and are forgotten once Normal', () => {
    const r = rule({ dimensions: ['Computer'] });
    const p1 = { start: new Date(0), end: new Date(5 * MIN) };
    const first = evaluatePeriod(r, p1, rowsOf(2), new Map(), p1.end);
    expect(first.rows.map((x) => [x.Instance, x.State])).toEqual([[{ Computer: 'm0' }, 'Firing'], [{ Computer: 'm1' }, 'Firing']]);
    expect(first.notifications.map((n) => n.instance)).toEqual([{ Computer: 'm0' }, { Computer: 'm1' }]);
    const p2 = { start: p1.end, end: new Date(10 * MIN) };
    const second = evaluatePeriod(r, p2, rowsOf(1), new Map(first.instances.map((i) => [i.key, i])), p2.end);
    expect(second.rows.map((x) => [x.Instance, x.State, x.Value])).toEqual([[{ Computer: 'm0' }, 'Firing', 1], [{ Computer: 'm1' }, 'Resolved', 0]]);
    const p3 = { start: p2.end, end: new Date(15 * MIN) };
    const third = evaluatePeriod(r, p3, rowsOf(1), new Map(second.instances.map((i) => [i.key, i])), p3.end);
    // m1 resolved with nothing left to remember: forgotten, no more records for it.
    expect(third.rows.map((x) => x.Instance)).toEqual([{ Computer: 'm0' }]);
    expect(third.removed).toEqual(['{"Computer":"m1"}']);
  });
});

describe('periods', () => {
  it('aligns to the frequency from the epoch and lists each end once', () => {
    const f = 5 * MIN;
    expect(initialCursor(f, 7 * MIN)).toBe(5 * MIN);
    expect(duePeriodEnds(f, 5 * MIN, 21 * MIN)).toEqual([10 * MIN, 15 * MIN, 20 * MIN]);
    expect(duePeriodEnds(f, 20 * MIN, 24 * MIN)).toEqual([]);
    expect(countDue(f, 5 * MIN, 21 * MIN)).toBe(3);
    expect(countDue(f, 20 * MIN, 24 * MIN)).toBe(0);
    expect(countDue(MIN, 0, 30 * 1440 * MIN)).toBe(30 * 1440);
  });
});
