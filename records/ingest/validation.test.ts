import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, openHarness, problemOf, type Harness } from './test-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.close());

const refusals: { name: string; table: string; body: unknown; expected: { code: string; recordIndex?: number; field?: string; message: RegExp } }[] = [
  { name: 'a body that is not an array', table: 'Heartbeat', body: { Computer: 'a' }, expected: { code: 'InvalidBody', message: /JSON array of records.*an object/ } },
  { name: 'a record that is not an object', table: 'Heartbeat', body: [heartbeat('a'), 42], expected: { code: 'InvalidBody', message: /record 1 must be a JSON object.*a number/ } },
  { name: 'an unknown table', table: 'Heartbeet', body: [heartbeat('a')], expected: { code: 'UnknownTable', message: /'Heartbeet' is not a table\. Did you mean 'Heartbeat'\?/ } },
  {
    name: 'an unknown field',
    table: 'Heartbeat',
    body: [heartbeat('a'), heartbeat('b', { Computr: 'x' })],
    expected: { code: 'UnknownField', recordIndex: 1, field: 'Computr', message: /record 1: field 'Computr' is not a column of Heartbeat.*Did you mean 'Computer'\?/ },
  },
  {
    name: 'a field in the wrong case',
    table: 'Heartbeat',
    body: [heartbeat('a', { ostype: 'Linux' })],
    expected: { code: 'UnknownField', recordIndex: 0, field: 'ostype', message: /case-sensitive.*Did you mean 'OSType'\?/ },
  },
  {
    name: 'a server-filled field',
    table: 'Heartbeat',
    body: [heartbeat('a', { TenantId: 'other' })],
    expected: { code: 'ReservedField', recordIndex: 0, field: 'TenantId', message: /filled by the server/ },
  },
  {
    name: 'a datetime that is not ISO',
    table: 'Heartbeat',
    body: [heartbeat('a'), heartbeat('b'), heartbeat('c', { TimeGenerated: 'yesterday' })],
    expected: { code: 'WrongType', recordIndex: 2, field: 'TimeGenerated', message: /ISO 8601 datetime.*"yesterday"/ },
  },
  {
    name: 'an impossible date',
    table: 'Heartbeat',
    body: [heartbeat('a', { TimeGenerated: '2023-02-29T00:00:00Z' })],
    expected: { code: 'WrongType', recordIndex: 0, field: 'TimeGenerated', message: /ISO 8601/ },
  },
  {
    name: 'a fraction for an int',
    table: 'Event',
    body: [{ Computer: 'a', EventID: 1.5 }],
    expected: { code: 'WrongType', recordIndex: 0, field: 'EventID', message: /whole number.*1\.5/ },
  },
  {
    name: 'an int out of range',
    table: 'Event',
    body: [{ Computer: 'a', EventID: 2 ** 31 }],
    expected: { code: 'WrongType', recordIndex: 0, field: 'EventID', message: /between -2147483647 and 2147483647/ },
  },
  {
    name: 'a string for a bool',
    table: 'Heartbeat',
    body: [heartbeat('a', { IsGatewayInstalled: 'true' })],
    expected: { code: 'WrongType', recordIndex: 0, field: 'IsGatewayInstalled', message: /true or false, got string "true"/ },
  },
  {
    name: 'a number for a string',
    table: 'Heartbeat',
    body: [heartbeat('a', { OSMajorVersion: 22 })],
    expected: { code: 'WrongType', recordIndex: 0, field: 'OSMajorVersion', message: /a string \(send numbers as "42"/ },
  },
  {
    name: 'a missing Computer',
    table: 'Heartbeat',
    body: [heartbeat('a'), { OSType: 'Linux' }],
    expected: { code: 'MissingField', recordIndex: 1, field: 'Computer', message: /record 1: field 'Computer' is required/ },
  },
  {
    name: 'an empty Computer',
    table: 'Heartbeat',
    body: [heartbeat('')],
    expected: { code: 'MissingField', recordIndex: 0, field: 'Computer', message: /required/ },
  },
];

describe('JSON records are refused with a 400 naming the record and field, and nothing is stored', () => {
  for (const r of refusals) {
    it(r.name, async () => {
      for (const call of [h.ingestor.ingestJson(r.table, r.body), h.ingestor.ingestJsonText(r.table, JSON.stringify(r.body))]) {
        const problem = await problemOf(call);
        expect(problem.status).toBe(400);
        expect(problem.code).toBe(r.expected.code);
        expect(problem.recordIndex).toBe(r.expected.recordIndex);
        expect(problem.field).toBe(r.expected.field);
        expect(problem.message).toMatch(r.expected.message);
      }
      expect(await h.count('SELECT (SELECT count(*) FROM Heartbeat) + (SELECT count(*) FROM Event)')).toBe(0);
    });
  }

  it('a body that is not JSON', async () => {
    const problem = await problemOf(h.ingestor.ingestJsonText('Heartbeat', '[{"Computer": "a",'));
    expect(problem).toMatchObject({ status: 400, code: 'InvalidBody' });
    expect(problem.message).toMatch(/not valid JSON/);
  });

  it('a time-generated-field naming a column that is not a datetime', async () => {
    const problem = await problemOf(h.ingestor.ingestJson('Heartbeat', [heartbeat('a')], { timeGeneratedField: 'Computer' }));
    expect(problem).toMatchObject({ status: 400, code: 'InvalidTimeGeneratedField', field: 'Computer' });
  });
});

describe('accepted records', () => {
  it('are stored with server-filled TenantId, Type, receive time and empty strings', async () => {
    const receivedAt = new Date('2024-05-02T00:00:00Z');
    const result = await h.ingestor.ingestJson(
      'Heartbeat',
      [{ Computer: 'filled', ComputerPrivateIPs: ['10.0.0.1'], RemoteIPLatitude: 1 }, heartbeat('t', { TimeGenerated: '2024-05-01T14:00:00.1234567+02:00' })],
      { receivedAt },
    );
    expect(result).toEqual({ stored: 2, duplicateBatch: false });
    const reader = await h.query.runAndReadAll(
      `SELECT Computer, TenantId, Type, TimeGenerated::VARCHAR, OSName, ComputerPrivateIPs::VARCHAR, IsGatewayInstalled FROM Heartbeat ORDER BY Computer`,
    );
    expect(reader.getRows()).toEqual([
      ['filled', 'ws-test', 'Heartbeat', '2024-05-02 00:00:00', '', '["10.0.0.1"]', null],
      ['t', 'ws-test', 'Heartbeat', '2024-05-01 12:00:00.1234567', '', null, null],
    ]);
  });

  it('take TimeGenerated from the time-generated-field, which need not be a column', async () => {
    await h.ingestor.ingestJsonText('Event', JSON.stringify([{ Computer: 'tg', EventTime: '2024-04-01T08:00:00Z', EventID: 7 }]), { timeGeneratedField: 'EventTime' });
    expect(await h.count(`SELECT count(*) FROM Event WHERE Computer = 'tg' AND TimeGenerated = '2024-04-01 08:00:00' AND EventID = 7`)).toBe(1);
  });
});
