/**
 * The engine's result suite on both stores: every case of test/language (operators, joins,
 * Kusto semantics) and every function case of function-cases.ts runs on the embedded DuckDB
 * and on the ClickHouse test cluster, and the answers must agree — columns, Kusto types,
 * values and row order. A case ClickHouse cannot run is listed in unsupported-cases.ts with
 * its reason and must be refused at compile time (E402) with a range inside the query; a case
 * that gives different rows is a bug, never a list entry.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCases, joinDuplicateNames, joinOnDifferentNames, joinQuery, lookupCase, operatorCases } from '../language/operators-cases.js';
import { allSemanticsRowCases, columnNameCases } from '../language/semantics-cases.js';
import { clickHouseRefusal, expectAgreement, onDuckDB, type Stores } from './compare.js';
import { functionCases } from './function-cases.js';
import { nodesOf, testCluster } from './harness.js';
import { clickhouseKnownFailures, clickhouseUnsupported } from './unsupported-cases.js';

const cluster = testCluster();

/** [label, query, ordered, expected rows on DuckDB if the case table gives them]. */
type Case = [string, string, boolean, unknown[][] | undefined];

const cases: Case[] = [
  ...operatorCases.map(([name, query, expected]): Case => [`operators › ${name}`, query, true, expected]),
  ...joinCases.map(([kind]): Case => [`join kind=${kind}`, joinQuery(kind), false, undefined]),
  ['join › $left.a == $right.b', joinOnDifferentNames[0], true, joinOnDifferentNames[1]],
  ['join › lookup', lookupCase[0], true, lookupCase[1]],
  ['join › duplicated right column name', joinDuplicateNames, false, undefined],
  ...allSemanticsRowCases().map(([label, query, expected]): Case => [label, query, true, expected]),
  ...columnNameCases.map(([query], i): Case => [`column names #${i + 1}`, query, true, undefined]),
  ...functionCases.map(([label, query]): Case => [`function › ${label}`, query, true, undefined]),
];

const agreeing = cases.filter(([label]) => !(label in clickhouseUnsupported) && !(label in clickhouseKnownFailures));
const refused = cases.filter(([label]) => label in clickhouseUnsupported);
const failing = cases.filter(([label]) => label in clickhouseKnownFailures);

describe.skipIf(!cluster)('engine cases on DuckDB and ClickHouse', () => {
  let instance: DuckDBInstance;
  let stores: Stores;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    stores = { duck: await instance.connect(), nodes: nodesOf(cluster!) };
  });

  afterAll(() => {
    stores?.duck.closeSync();
    instance?.closeSync();
  });

  it('lists only cases that exist', () => {
    const labels = new Set(cases.map(([label]) => label));
    expect(Object.keys(clickhouseUnsupported).filter((label) => !labels.has(label))).toEqual([]);
    expect(Object.keys(clickhouseKnownFailures).filter((label) => !labels.has(label))).toEqual([]);
  });

  it.each(agreeing)('agrees: %s', async (_label, query, ordered, expected) => {
    const duck = await expectAgreement(stores, query, ordered);
    if (expected) expect(duck.rows).toEqual(expected);
  });

  it.each(refused)('refused on ClickHouse (E402): %s', async (label, query) => {
    await onDuckDB(stores, query); // valid Kusto that DuckDB answers
    const [first] = await clickHouseRefusal(stores, query);
    expect(first!.code, first!.message).toBe('E402');
    expect(first!.message).toMatch(/not supported on the ClickHouse store/);
    expect(first!.message).toContain(clickhouseUnsupported[label]!.mentions);
    // the diagnostic points into the query at the construct, not at 0..0
    const at = clickhouseUnsupported[label]!.at;
    expect(query.slice(first!.range.start, first!.range.end)).toContain(at);
  });

  // known run-time failures (see unsupported-cases.ts): still failing, so a fix has to move them
  it.fails.each(failing)('known failure on ClickHouse: %s', async (_label, query, ordered) => {
    await expectAgreement(stores, query, ordered);
  });
});

describe('E402 points at the operator', () => {
  it.each([
    ['has_any with a dynamic array', 'datatable(s:string, d:dynamic)["a", dynamic(["a"])] | where s has_any (d)', 's has_any (d)'],
    ['has with a needle computed per row', 'datatable(s:string, t:string)["a b", "b"] | where s has t', 's has t'],
  ])('%s', async (_label, query, at) => {
    const { clickhouseRunner } = await import('./harness.js');
    const compiled = clickhouseRunner([]).compile(query, new Date('2024-03-15T12:00:00Z'));
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    const [first] = compiled.diagnostics;
    expect(first!.code).toBe('E402');
    expect(query.slice(first!.range.start, first!.range.end)).toBe(at);
  });
});
