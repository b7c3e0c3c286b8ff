/** The Kusto rules the issue names, each with its own test, on a real DuckDB (cases in semantics-cases.ts). */
import { describe, expect, it } from 'vitest';
import { Codes } from '../../language/syntax/diagnostics.js';
import { errorsOf, kql, rows } from './run.js';
import { columnNameCases, percentileNames, semanticsCases, type QueryCheck } from './semantics-cases.js';

/** One test per entry of a describe block: every query gives its rows, in order. */
function rowTests(group: string): void {
  for (const [name, checks] of Object.entries(semanticsCases[group]!)) {
    it(name, async () => {
      for (const [query, expected] of checks as QueryCheck[]) expect(await rows(query)).toEqual(expected);
    });
  }
}

describe('Kusto semantics', () => {
  rowTests('Kusto semantics');

  it('identifiers are case-sensitive', async () => {
    const errors = await errorsOf(`datatable(Computer:string)["a"] | project computer`);
    expect(errors[0]!.code).toBe(Codes.unknownColumn);
    expect(errors[0]!.message).toContain("'Computer'");
  });
});

describe('result types', () => {
  rowTests('result types');

  it('names output columns as the reference does', async () => {
    for (const [query, names] of columnNameCases) expect((await kql(query)).columns.map((c) => c.name)).toEqual(names);
  });

  it('truncates at the row limit and says so', async () => {
    const { runQuery } = await import('../../query/run-query.js');
    const outcome = await runQuery(`range i from 1 to 100 step 1`, { maxRows: 10 });
    expect(outcome.ok && outcome.result.truncated).toBe(true);
    expect(outcome.ok && outcome.result.rows.length).toBe(10);
  });
});

describe('aggregate names', () => {
  it('names percentiles by their point', async () => {
    const [[query, expected]] = semanticsCases['aggregate names']!['names percentiles by their point']! as [QueryCheck];
    const result = await kql(query);
    expect(result.columns.map((c) => c.name)).toEqual(percentileNames);
    expect(result.rows).toEqual(expected);
  });
});

describe('serialized rows', () => {
  rowTests('serialized rows');
});

describe('filters', () => {
  rowTests('filters');
});
