/** Result tests per operator on a real DuckDB: each row is query → expected rows. */
import { describe, expect, it } from 'vitest';
import { joinCases, joinDuplicateNames, joinOnDifferentNames, joinQuery, lookupCase, operatorCases } from './operators-cases.js';
import { kql, rows } from './run.js';

describe('operators on DuckDB', () => {
  it.each(operatorCases)('%s', async (_name, query, expected) => {
    expect(await rows(query)).toEqual(expected);
  });
});

describe('join kinds', () => {
  it.each(joinCases)('kind=%s', async (kind, expected) => {
    const result = await rows(joinQuery(kind));
    const sortKey = (r: unknown[]): string => JSON.stringify(r);
    expect([...result].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual([...expected].sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
  });

  it('names a duplicated right column with a 1 suffix', async () => {
    const result = await kql(joinDuplicateNames);
    expect(result.columns.map((c) => c.name)).toEqual(['k', 'l', 'k1', 'r']);
  });

  it('joins on $left.a == $right.b', async () => {
    const [query, expected] = joinOnDifferentNames;
    expect(await rows(query)).toEqual(expected);
  });

  it('lookup keeps the key once and the left rows without a match', async () => {
    const [query, expected] = lookupCase;
    const result = await kql(query);
    expect(result.columns.map((c) => c.name)).toEqual(['k', 'l', 'r']);
    expect(result.rows).toEqual(expected);
  });
});

describe('render', () => {
  it('keeps render as result metadata', async () => {
    const result = await kql(`print a = 1 | render timechart with (title = "Missing", ymin = 0)`);
    expect(result.render).toEqual({ visualization: 'timechart', properties: { title: 'Missing', ymin: 0 } });
    expect(result.rows).toEqual([[1]]);
  });

  it('keeps list properties as lists', async () => {
    const result = await kql(`print a = 1, b = 2, c = 3 | render columnchart with (ycolumns = b, c, kind = stacked)`);
    expect(result.render).toEqual({ visualization: 'columnchart', properties: { ycolumns: ['b', 'c'], kind: 'stacked' } });
  });
});
