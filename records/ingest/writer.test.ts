import { tableToIPC, vectorFromArray, Table, TimestampNanosecond, Utf8, Bool, Int32, Float64, type Vector } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { heartbeat, openHarness, problemOf, type Harness } from './test-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function records(prefix: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => heartbeat(`${prefix}-${i}`));
}

describe('the writer', () => {
  it('stores a request with one bad record not at all', async () => {
    h = await openHarness();
    const body = [...records('ok', 50), heartbeat('bad', { IsGatewayInstalled: 1 }), ...records('ok2', 50)];
    const problem = await problemOf(h.ingestor.ingestJson('Heartbeat', body));
    expect(problem).toMatchObject({ status: 400, code: 'WrongType', recordIndex: 50, field: 'IsGatewayInstalled' });
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(0);
  });

  it('stores concurrent requests exactly once, grouping them into fewer transactions', async () => {
    h = await openHarness();
    const ingestor = h.ingestor;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, r) => (r % 2 ? ingestor.ingestJson('Heartbeat', records(`r${r}`, 100)) : ingestor.ingestJsonText('Heartbeat', JSON.stringify(records(`r${r}`, 100))))),
    );
    expect(results.every((r) => r.stored === 100 && !r.duplicateBatch)).toBe(true);
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(4000);
    expect(await h.count('SELECT count(DISTINCT Computer) FROM Heartbeat')).toBe(4000);
    expect(ingestor.stats.transactions).toBeLessThan(40);
  });

  it('when a grouped transaction fails, retries its members alone so only the bad request fails', async () => {
    h = await openHarness();
    const ingestor = h.ingestor;
    // A lone surrogate passes JSON.parse but is not valid UTF-8 for DuckDB: a failure only the database sees.
    const poisoned = '[{"Computer": "poison", "OSName": "\\ud800"}]';
    const calls = [
      ingestor.ingestJson('Heartbeat', records('a', 10)),
      ingestor.ingestJsonText('Heartbeat', poisoned),
      ingestor.ingestJson('Heartbeat', records('b', 10)),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(20);
    expect(await h.count(`SELECT count(*) FROM Heartbeat WHERE Computer = 'poison'`)).toBe(0);
  });

  it('acknowledges a replayed batch id without storing it again, also when both copies arrive together', async () => {
    h = await openHarness();
    const first = await h.ingestor.ingestJson('Heartbeat', records('batch', 5), { batchId: 'agent-1/0001' });
    expect(first).toEqual({ stored: 5, duplicateBatch: false });
    const again = await h.ingestor.ingestJsonText('Heartbeat', JSON.stringify(records('batch', 5)), { batchId: 'agent-1/0001' });
    expect(again).toEqual({ stored: 0, duplicateBatch: true });
    const together = await Promise.all([
      h.ingestor.ingestJson('Heartbeat', records('twin', 5), { batchId: 'agent-1/0002' }),
      h.ingestor.ingestJson('Heartbeat', records('twin', 5), { batchId: 'agent-1/0002' }),
    ]);
    expect(together.map((r) => r.duplicateBatch).sort()).toEqual([false, true]);
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(10);
    expect(await h.count('SELECT count(*) FROM _ingest_batches')).toBe(2);
  });

  it('refuses with 429 and a Retry-After estimate beyond maxQueuedRecords, and stores the admitted work', async () => {
    h = await openHarness({ maxQueuedRecords: 150 });
    const admitted = h.ingestor.ingestJson('Heartbeat', records('first', 100));
    const problem = await problemOf(h.ingestor.ingestJson('Heartbeat', records('second', 100)));
    expect(problem).toMatchObject({ status: 429, code: 'Overloaded' });
    expect(problem.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await admitted;
    expect(h.ingestor.queuedRecords).toBe(0);
    expect(await h.ingestor.ingestJson('Heartbeat', records('third', 100))).toMatchObject({ stored: 100 });
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(200);
  });

  it('answers 503 and stores nothing when the spool directory was not allowed before file access went off', async () => {
    h = await openHarness();
    // The harness allowed the spool; simulate a server that got the order wrong by moving the spool elsewhere.
    const { createIngestor } = await import('./ingestor.js');
    const misplaced = await createIngestor(h.instance, { spoolDir: `${h.dir}/elsewhere` });
    const problem = await problemOf(misplaced.ingestJson('Heartbeat', records('x', 3)));
    expect(problem).toMatchObject({ status: 503, code: 'StorageUnavailable' });
    await misplaced.close();
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(0);
  });

  it('deletes only records older than each table retention', async () => {
    const now = new Date('2024-06-01T00:00:00Z');
    h = await openHarness({ retentionDays: { Heartbeat: 7 }, now: () => now });
    await h.ingestor.ingestJson('Heartbeat', [
      heartbeat('old', { TimeGenerated: '2024-05-20T00:00:00Z' }),
      heartbeat('new', { TimeGenerated: '2024-05-30T00:00:00Z' }),
    ]);
    await h.ingestor.ingestJson('Event', [
      { Computer: 'old', TimeGenerated: '2024-04-01T00:00:00Z' },
      { Computer: 'kept', TimeGenerated: '2024-05-20T00:00:00Z' },
    ]);
    const deleted = await h.ingestor.applyRetention();
    expect(deleted).toMatchObject({ Heartbeat: 1, Event: 1, Update: 0 });
    expect(await h.count(`SELECT count(*) FROM Heartbeat WHERE Computer = 'new'`)).toBe(1);
    expect(await h.count(`SELECT count(*) FROM Event WHERE Computer = 'kept'`)).toBe(1);
    expect(await h.count('SELECT count(*) FROM Heartbeat') + (await h.count('SELECT count(*) FROM Event'))).toBe(2);
  });
});

describe('Arrow IPC streams', () => {
  function stream(columns: Record<string, Vector>): Uint8Array {
    return tableToIPC(new Table(columns), 'stream');
  }

  it('round-trip into the table with the same atomic, acknowledged write', async () => {
    h = await openHarness();
    const ipc = stream({
      Computer: vectorFromArray(['a1', 'a2', 'a3'], new Utf8()),
      TimeGenerated: vectorFromArray([new Date('2024-05-01T00:00:00Z'), null, new Date('2024-05-03T00:00:00Z')], new TimestampNanosecond()),
      EventID: vectorFromArray([1, 2, null], new Int32()),
      EventLevelName: vectorFromArray(['error', null, 'info'], new Utf8()),
    });
    const result = await h.ingestor.ingestArrow('Event', ipc, { receivedAt: new Date('2024-05-02T00:00:00Z'), batchId: 'arrow-1' });
    expect(result).toEqual({ stored: 3, duplicateBatch: false });
    expect(await h.ingestor.ingestArrow('Event', ipc, { batchId: 'arrow-1' })).toEqual({ stored: 0, duplicateBatch: true });
    const reader = await h.query.runAndReadAll('SELECT Computer, TimeGenerated::VARCHAR, EventID, EventLevelName, Source, TenantId, Type FROM Event ORDER BY Computer');
    expect(reader.getRows()).toEqual([
      ['a1', '2024-05-01 00:00:00', 1, 'error', '', 'ws-test', 'Event'],
      ['a2', '2024-05-02 00:00:00', 2, '', '', 'ws-test', 'Event'],
      ['a3', '2024-05-03 00:00:00', null, 'info', '', 'ws-test', 'Event'],
    ]);
  });

  it('are refused with the same codes as JSON', async () => {
    h = await openHarness();
    const unknown = await problemOf(h.ingestor.ingestArrow('Heartbeat', stream({ Computer: vectorFromArray(['a'], new Utf8()), OSTyp: vectorFromArray(['x'], new Utf8()) })));
    expect(unknown).toMatchObject({ status: 400, code: 'UnknownField', field: 'OSTyp' });
    expect(unknown.message).toMatch(/Did you mean 'OSType'/);
    const wrong = await problemOf(h.ingestor.ingestArrow('Heartbeat', stream({ Computer: vectorFromArray(['a'], new Utf8()), IsGatewayInstalled: vectorFromArray([1.5], new Float64()) })));
    expect(wrong).toMatchObject({ status: 400, code: 'WrongType', field: 'IsGatewayInstalled' });
    const missing = await problemOf(h.ingestor.ingestArrow('Heartbeat', stream({ Computer: vectorFromArray(['a', null], new Utf8()), IsGatewayInstalled: vectorFromArray([true, false], new Bool()) })));
    expect(missing).toMatchObject({ status: 400, code: 'MissingField', recordIndex: 1, field: 'Computer' });
    const garbage = await problemOf(h.ingestor.ingestArrow('Heartbeat', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
    expect(garbage).toMatchObject({ status: 400, code: 'InvalidBody' });
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(0);
  });
});
