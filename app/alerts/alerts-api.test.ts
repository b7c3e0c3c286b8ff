/**
 * Alert rules on a real server (127.0.0.1, real DuckDB file) driven by a ManualClock, notifying a
 * real webhook receiver on loopback: M of N, auto-resolve, mute, dimensions, NoData, Error,
 * retries with backoff, AlertEvaluation by KQL, and restarts that neither repeat nor skip a period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { startTestServer, type TestServer } from '../../server/test-server.js';
import { ManualClock } from '../../contracts/clock.js';
import { createToken } from '../workspace/workspace-file.js';
import type { AlertInstance, AlertRule } from '../../contracts/alerts.js';
import { startReceiver, type Receiver } from './test-receiver.js';

const MIN = 60_000;
const start = '2024-05-01T00:01:00Z';
const backoff = { retries: 3, firstDelayMs: 60, maxDelayMs: 1_000, timeoutMs: 2_000 };
const serverOptions = { alerts: { tickMs: 3_600_000, maxCatchUpPeriods: 3, backoff }, savedSearches: { addSamples: false }, dashboards: { addDefault: false } };

let t: TestServer;
let server: RunningServer;
let url: string;
let clock: ManualClock;
let receiver: Receiver;
let operator: string;
let reader: string;

const periodStart = (k: number): string => new Date(Date.parse('2024-05-01T00:00:00Z') + (k - 1) * 5 * MIN).toISOString();

async function api(method: string, path: string, body?: unknown, token = operator): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** `count` heartbeats of `computer` tagged `category`, one minute into period k. */
async function heartbeats(category: string, computer: string, count: number, k: number, extra: Record<string, unknown> = {}): Promise<void> {
  const at = new Date(Date.parse(periodStart(k)) + MIN).toISOString();
  const rows = Array.from({ length: count }, () => ({ TimeGenerated: at, Computer: computer, Category: category, ...extra }));
  const response = await fetch(`${url}/api/logs`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'log-type': 'Heartbeat' }, body: JSON.stringify(rows) });
  expect(response.status).toBe(200);
}

/** Moves the clock and lets the evaluator finish the periods due and their deliveries. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await server.alerts.evaluator.tick();
  await server.alerts.evaluator.settled();
}

async function kql(text: string): Promise<unknown[][]> {
  const { status, body } = await t.query(text);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.tables[0]!.rows;
}

async function create(rule: Record<string, unknown>): Promise<AlertRule> {
  const { status, body } = await api('POST', '/api/alert-rules', { frequency: 'PT5M', lookback: 'PT5M', operator: '>', ...rule });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as AlertRule;
}

const hook = (path: string): string => `${receiver.url}${path}`;
const rules: Record<string, AlertRule> = {};

beforeAll(async () => {
  clock = new ManualClock(start);
  receiver = await startReceiver();
  t = await startTestServer({ clock, ...serverOptions });
  server = t.server;
  url = t.url;
  operator = createToken(t.dbPath, 'operator');
  reader = createToken(t.dbPath, 'reader');
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe('alert rules over HTTP', () => {
  it('creates the rules of the timeline; refuses bad ones with problems, and other roles', async () => {
    rules.a = await create({ name: 'A two of three', query: 'Heartbeat | where Category == "alert-a"', measure: { kind: 'rowCount' }, threshold: 2, failingPeriods: 2, evaluationPeriods: 3, autoResolveAfter: 2, dimensions: ['Computer'], severity: 1, actions: { webhooks: [hook('/a')] } });
    rules.b = await create({ name: 'B muted', query: 'Heartbeat | where Category == "alert-b"', measure: { kind: 'rowCount' }, threshold: 0, muteFor: 'PT12M', actions: { webhooks: [hook('/b')] } });
    rules.c = await create({ name: 'C no data', query: 'Heartbeat | where Category == "alert-c" | project V = RemoteIPLatitude', measure: { kind: 'column', aggregation: 'avg', column: 'V' }, threshold: 10, actions: { webhooks: [hook('/c')] } });
    rules.d = await create({ name: 'D error', query: 'Heartbeat | where Category == "alert-d" | where Computer matches regex "("', measure: { kind: 'rowCount' }, threshold: 0 });
    rules.f = await create({ name: 'F flaky receiver', query: 'Heartbeat | where Category == "alert-f"', measure: { kind: 'rowCount' }, threshold: 0, actions: { webhooks: [hook('/f')] } });

    const bad = await api('POST', '/api/alert-rules', { name: 'bad', query: 'Heartbeat', frequency: 'PT30S', lookback: 'PT1H', measure: { kind: 'column', aggregation: 'avg', column: 'Computer' }, operator: '>', threshold: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidAlertRule');
    expect(bad.body.error.problems.map((p: { field: string }) => p.field).sort()).toEqual(['frequency', 'measure.column']);
    const taken = await api('POST', '/api/alert-rules', { name: 'b MUTED', query: 'Heartbeat', frequency: 'PT5M', lookback: 'PT5M', measure: { kind: 'rowCount' }, operator: '>', threshold: 0 });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'AlertRuleNameTaken']);
    expect((await api('POST', '/api/alert-rules', {}, reader)).status).toBe(403);
    expect((await fetch(`${url}/api/alert-rules`)).status).toBe(401);
    expect((await api('GET', '/api/alert-rules', undefined, reader)).body.alertRules.map((r: AlertRule) => r.name)).toEqual(['A two of three', 'B muted', 'C no data', 'D error', 'F flaky receiver']);
    expect((await api('GET', `/api/alert-rules/${encodeURIComponent('c no data')}`, undefined, reader)).body.id).toBe(rules.c!.id);
    expect((await api('GET', '/api/alert-rules/nope', undefined, reader)).status).toBe(404);
  });

  it('evaluates each period once: M of N, auto-resolve, mute, NoData, Error, dimensions', async () => {
    receiver.failNext('/f', 2);
    // period 1 [00:00, 00:05)
    await heartbeats('alert-a', 'm1', 3, 1);
    await heartbeats('alert-a', 'm2', 3, 1);
    await heartbeats('alert-b', 'b', 1, 1);
    await heartbeats('alert-c', 'c', 1, 1, { RemoteIPLatitude: 20 });
    await heartbeats('alert-f', 'f', 1, 1);
    await advance(4 * MIN);
    // period 2
    await heartbeats('alert-a', 'm1', 3, 2);
    await heartbeats('alert-a', 'm2', 1, 2);
    await advance(5 * MIN);
    // period 3
    await heartbeats('alert-a', 'm2', 3, 3);
    await heartbeats('alert-b', 'b', 1, 3);
    await advance(5 * MIN);
    // period 4
    await heartbeats('alert-a', 'm2', 3, 4);
    await heartbeats('alert-c', 'c', 1, 4, { RemoteIPLatitude: 1 });
    await advance(5 * MIN);

    const changes = await kql(`AlertEvaluation | where StateChanged | project R = RuleName, P = format_datetime(PeriodEnd, 'HH:mm'), I = tostring(Instance.Computer), PreviousState, State, Notification | order by R asc, P asc, I asc`);
    expect(changes).toEqual([
      ['A two of three', '00:05', 'm1', '', 'Pending', ''],
      ['A two of three', '00:05', 'm2', '', 'Pending', ''],
      ['A two of three', '00:10', 'm1', 'Pending', 'Firing', 'sent to 1 webhook'],
      ['A two of three', '00:10', 'm2', 'Pending', 'Normal', ''],
      ['A two of three', '00:15', 'm2', 'Normal', 'Firing', 'sent to 1 webhook'],
      ['A two of three', '00:20', 'm1', 'Firing', 'Resolved', 'sent to 1 webhook'],
      ['B muted', '00:05', '', '', 'Firing', 'sent to 1 webhook'],
      ['B muted', '00:10', '', 'Firing', 'Resolved', 'muted until 2024-05-01T00:17:00.000Z'],
      ['B muted', '00:15', '', 'Resolved', 'Firing', 'muted until 2024-05-01T00:17:00.000Z'],
      ['B muted', '00:20', '', 'Firing', 'Resolved', 'sent to 1 webhook'],
      ['C no data', '00:05', '', '', 'Firing', 'sent to 1 webhook'],
      ['C no data', '00:10', '', 'Firing', 'NoData', ''],
      ['C no data', '00:20', '', 'NoData', 'Resolved', 'sent to 1 webhook'],
      ['D error', '00:05', '', '', 'Error', ''],
      ['F flaky receiver', '00:05', '', '', 'Firing', 'sent to 1 webhook'],
      ['F flaky receiver', '00:10', '', 'Firing', 'Resolved', 'sent to 1 webhook'],
      ['F flaky receiver', '00:15', '', 'Resolved', 'Normal', ''],
    ]);
    // Every rule, every period exactly once: A has an instance row per period for m1 (until forgotten) and m2.
    expect(await kql(`AlertEvaluation | summarize n = count() by RuleName, PeriodEnd, I = tostring(Instance) | where n > 1 | count`)).toEqual([[0]]);
    expect(await kql(`AlertEvaluation | summarize periods = dcount(PeriodEnd) by RuleName | order by RuleName asc`)).toEqual([['A two of three', 4], ['B muted', 4], ['C no data', 4], ['D error', 4], ['F flaky receiver', 4]]);
    const error = await kql(`AlertEvaluation | where RuleName == "D error" | take 1 | project Reason`);
    expect(String(error[0]![0])).toMatch(/^The query failed: E308: A regular expression in the query is not valid \(missing \)/);

    // Webhooks: state changes to Firing and Resolved only, muted ones held back.
    expect(receiver.delivered('/a').map((n) => [n.instance.Computer, n.state, n.value])).toEqual([['m1', 'Firing', 3], ['m2', 'Firing', 3], ['m1', 'Resolved', 0]]);
    const first = receiver.delivered('/a')[0]!;
    expect(first).toMatchObject({ schemaId: 'upkeep.alert/1', rule: { id: rules.a!.id, name: 'A two of three', severity: 1, operator: '>', threshold: 2 }, previousState: 'Pending', period: { start: '2024-05-01T00:05:00.000Z', end: '2024-05-01T00:10:00.000Z' } });
    const link = new URL(first.link, 'http://x');
    expect([link.pathname, link.searchParams.get('q'), link.searchParams.get('t')]).toEqual(['/search', 'Heartbeat | where Category == "alert-a"', '2024-05-01T00:05:00.000Z/2024-05-01T00:10:00.000Z']);
    expect(receiver.delivered('/b').map((n) => n.state)).toEqual(['Firing', 'Resolved']);
    expect(receiver.delivered('/c').map((n) => n.state)).toEqual(['Firing', 'Resolved']);

    // Instances: current state per instance.
    const instances = (await api('GET', `/api/alert-rules/${rules.a!.id}/instances`, undefined, reader)).body.instances as AlertInstance[];
    expect(instances.map((i) => [i.dimensions.Computer, i.state, i.firing])).toEqual([['m1', 'Resolved', false], ['m2', 'Firing', true]]);
    expect(instances.find((i) => i.dimensions.Computer === 'm2')).toMatchObject({ value: 3, history: [false, true, true], periodEnd: '2024-05-01T00:20:00.000Z' });
  });

  it('retries a failing webhook with exponential backoff', () => {
    const f = receiver.hits.filter((h) => h.path === '/f' && h.body.state === 'Firing');
    expect(f.map((h) => h.status)).toEqual([503, 503, 200]);
    const gaps = [f[1]!.at - f[0]!.at, f[2]!.at - f[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(backoff.firstDelayMs * 0.9);
    expect(gaps[1]).toBeGreaterThanOrEqual(backoff.firstDelayMs * 2 * 0.9);
  });

  it('evaluates now without storing or advancing the period', async () => {
    await heartbeats('alert-b', 'b', 1, 5);
    clock.advance(2 * MIN); // 00:22, inside period 5
    const before = await kql('AlertEvaluation | count');
    const preview = await api('POST', `/api/alert-rules/${rules.b!.id}/evaluate`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ period: { end: '2024-05-01T00:22:00.000Z' }, instances: [{ state: 'Firing', previousState: 'Resolved', value: 1 }] });
    expect((await api('POST', `/api/alert-rules/${rules.b!.id}/evaluate`, undefined, reader)).status).toBe(403);
    await server.alerts.evaluator.settled();
    expect(await kql('AlertEvaluation | count')).toEqual(before);
    expect((await api('GET', `/api/alert-rules/${rules.b!.id}/instances`, undefined, reader)).body.instances[0].state).toBe('Resolved');
    expect(await server.alerts.store.cursor(rules.b!.id)).toEqual(new Date('2024-05-01T00:20:00Z'));
  });

  it('a rule fixed after an Error picks up; an alert rule keeps its saved search from being deleted', async () => {
    const saved = await api('POST', '/api/saved-searches', { name: 'AlertD', category: 'Alerts', description: '', query: 'Heartbeat | where Category == "alert-d"' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const { query: _q, id: _id, createdAt: _c, updatedAt: _u, ...rest } = rules.d!;
    const fixed = await api('PUT', `/api/alert-rules/${rules.d!.id}`, { ...rest, savedSearchId: 'AlertD' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.savedSearchId).toBe(saved.body.id);
    await heartbeats('alert-d', 'd', 1, 5);
    await advance(3 * MIN); // 00:25
    expect(await kql(`AlertEvaluation | where RuleName == "D error" and PeriodEnd == datetime(2024-05-01T00:25:00Z) | project PreviousState, State`)).toEqual([['Error', 'Firing']]);
    const refused = await api('DELETE', `/api/saved-searches/${saved.body.id}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('D error');
  });

  it('restarts without evaluating a period twice or skipping one; a long stop is recorded as skipped', async () => {
    const dbPath = t.dbPath;
    await server.close();
    clock.advance(10 * MIN); // 00:35: periods ending 00:30 and 00:35 are due
    server = await startServer({ dbPath, port: 0, clock, ...serverOptions });
    url = server.url;
    (t as { server: RunningServer }).server = server;
    (t as { url: string }).url = url;
    await server.alerts.evaluator.tick();
    await server.alerts.evaluator.settled();
    const ends = async (): Promise<unknown[][]> => kql(`AlertEvaluation | where RuleName == "B muted" | summarize n = count() by E = format_datetime(PeriodEnd, 'HH:mm') | order by E asc`);
    expect((await ends()).map((r) => [r[0], r[1]])).toEqual([['00:05', 1], ['00:10', 1], ['00:15', 1], ['00:20', 1], ['00:25', 1], ['00:30', 1], ['00:35', 1]]);
    await server.close();
    clock.advance(50 * MIN); // 01:25: 10 periods due, 3 caught up on
    server = await startServer({ dbPath, port: 0, clock, ...serverOptions });
    (t as { server: RunningServer }).server = server;
    (t as { url: string }).url = url = server.url;
    await server.alerts.evaluator.tick();
    await server.alerts.evaluator.settled();
    const after = await kql(`AlertEvaluation | where RuleName == "B muted" and PeriodEnd > datetime(2024-05-01T00:35:00Z) | project S = format_datetime(PeriodStart, 'HH:mm'), E = format_datetime(PeriodEnd, 'HH:mm'), State, Reason | order by E asc`);
    expect(after.map((r) => [r[0], r[1], r[2]])).toEqual([['00:35', '01:10', 'Skipped'], ['01:10', '01:15', 'Normal'], ['01:15', '01:20', 'Normal'], ['01:20', '01:25', 'Normal']]);
    expect(String(after[0]![3])).toMatch(/^7 periods from 2024-05-01T00:35:00.000Z to 2024-05-01T01:10:00.000Z were not evaluated/);
  });

  it('deletes a rule', async () => {
    expect((await api('DELETE', `/api/alert-rules/${rules.f!.id}`)).status).toBe(204);
    expect((await api('GET', `/api/alert-rules/${rules.f!.id}`)).status).toBe(404);
    expect((await api('DELETE', `/api/alert-rules/${rules.f!.id}`)).status).toBe(404);
  });
});
