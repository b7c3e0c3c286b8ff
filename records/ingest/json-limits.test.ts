/**
 * The door's limits on JSON: dynamic values nested beyond MAX_DYNAMIC_DEPTH (a stored 100,000-deep
 * value made every query returning it fail with "Maximum call stack size exceeded") and bodies
 * that are not UTF-8 (DuckDB's reader refused the spooled file with its path in the message).
 * The server-level cases are in test/hostile/ingest-hostile.test.ts; here the pure functions and
 * the two paths the server does not take by default: main-thread parsing and Arrow.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8Byte, hasUnpairedSurrogate, MAX_DYNAMIC_DEPTH, nestsDeeperThan } from './json-limits.js';
import { describeWriteFailure } from './write-failure.js';
import { openHarness, problemOf, type Harness } from './test-harness.js';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not scalars, without recursion', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan([], 1)).toBe(false);
    expect(nestsDeeperThan([[]], 1)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(nestsDeeperThan(nested(MAX_DYNAMIC_DEPTH), MAX_DYNAMIC_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(100_000), MAX_DYNAMIC_DEPTH)).toBe(true);
  });
});

describe('firstInvalidUtf8Byte', () => {
  it('finds the first bad byte, stepping over U+FFFD that was really sent', () => {
    expect(firstInvalidUtf8Byte(Buffer.from('ok é 😀'))).toBeUndefined();
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0xff]))).toBe(1);
    expect(firstInvalidUtf8Byte(Buffer.concat([Buffer.from('é\uFFFDx'), Buffer.from([0xc3, 0x28])]))).toBe(6);
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a UTF-16 surrogate
    expect(firstInvalidUtf8Byte(Buffer.from([0x61, 0xf0, 0x9f]))).toBe(1); // cut short
  });
});

describe('hasUnpairedSurrogate', () => {
  it('finds a lone half in strings, nested values and keys; pairs are fine', () => {
    expect(hasUnpairedSurrogate('😀 \ud83d\ude00')).toBe(false);
    expect(hasUnpairedSurrogate('a\ud800b')).toBe(true);
    expect(hasUnpairedSurrogate([{ x: ['ok', 'b\udc00'] }])).toBe(true);
    expect(hasUnpairedSurrogate({ ['k\ud800']: 1 })).toBe(true);
    expect(hasUnpairedSurrogate(Array.from({ length: 1_000_000 }, () => 'fine'))).toBe(false);
  });
});

describe('describeWriteFailure', () => {
  it('does not pass the spool file path on to the sender', () => {
    const problem = describeWriteFailure(new Error('Invalid Input Error: Malformed JSON in file "/srv/upkeep.duckdb.spool/1-2.ingest.json", at byte 3 in record/value 1: bad')).problem;
    expect(problem).toMatchObject({ status: 400, code: 'WrongType', message: 'A value could not be stored: Invalid Input Error: Malformed JSON in the request body, at byte 3 in record/value 1: bad' });
  });
});

describe('on the main thread and in Arrow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness({ jsonWorkers: 0 });
  });
  afterAll(async () => h.close());

  it('refuses invalid UTF-8 and deep dynamic values, storing nothing', async () => {
    const bad = Buffer.concat([Buffer.from('[{"Computer":"a'), Buffer.from([0xff]), Buffer.from('"}]')]);
    expect(await problemOf(h.ingestor.ingestJsonText('Heartbeat', bad))).toMatchObject({ status: 400, code: 'InvalidBody', message: 'The body is not valid UTF-8 (byte 15); send JSON text encoded as UTF-8.' });
    const deep = `[{"Computer":"a","ComputerPrivateIPs":${JSON.stringify(nested(MAX_DYNAMIC_DEPTH + 1))}}]`;
    expect(await problemOf(h.ingestor.ingestJsonText('Heartbeat', deep))).toMatchObject({ status: 400, code: 'WrongType', field: 'ComputerPrivateIPs', message: `record 0: field 'ComputerPrivateIPs' must be a JSON value nested at most ${MAX_DYNAMIC_DEPTH} levels deep, got an array.` });
    const arrow = tableToIPC(tableFromArrays({ Computer: ['a'], ComputerPrivateIPs: [`${'['.repeat(1000)}${']'.repeat(1000)}`] }), 'stream');
    expect(await problemOf(h.ingestor.ingestArrow('Heartbeat', arrow))).toMatchObject({ status: 400, code: 'WrongType', field: 'ComputerPrivateIPs' });
    expect(await h.count('SELECT count(*) FROM Heartbeat')).toBe(0);
    // At the limit it is stored.
    const ok = `[{"Computer":"a","ComputerPrivateIPs":${JSON.stringify(nested(MAX_DYNAMIC_DEPTH))}}]`;
    expect(await h.ingestor.ingestJsonText('Heartbeat', ok)).toEqual({ stored: 1, duplicateBatch: false });
  });
});
