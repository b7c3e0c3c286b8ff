import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../../query/duckdb/engine.js';
import { QueryRunner } from '../../../query/query-runner.js';
import { ensureRecordTables } from '../../../records/store/duckdb-store.js';
import { evaluateGroup, evaluateGroups } from './groups.js';

let dir: string;
let instance: DuckDBInstance;
let queries: QueryRunner;
const now = new Date();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-groups-'));
  instance = await DuckDBInstance.create(join(dir, 'upkeep.duckdb'));
  await ensureRecordTables(instance);
  const conn = await instance.connect();
  for (const [computer, os] of [['web-01', 'Linux'], ['web-02', 'Linux'], ['web-01', 'Linux'], ['sql-01', 'Windows'], ['', 'Linux']]) {
    await conn.run(`INSERT INTO Heartbeat (TimeGenerated, Computer, OSType) VALUES (now()::TIMESTAMP, $1, $2)`, [computer!, os!]);
  }
  conn.closeSync();
  queries = await QueryRunner.open(await DuckDBEngine.forInstance(instance, [dir]));
});

afterAll(() => {
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('evaluateGroup on the real engine', () => {
  it('returns the distinct, sorted, non-empty Computer values', async () => {
    const evaluated = await evaluateGroup({ name: 'linux', query: 'Heartbeat | where OSType == "Linux" | project Computer, OSType' }, queries, { now });
    expect(evaluated).toEqual({ ok: true, machines: ['web-01', 'web-02'] });
  });

  it('an empty group is fine (evaluated to no machines)', async () => {
    expect(await evaluateGroup({ name: 'none', query: 'Heartbeat | where Computer == "nope" | distinct Computer' }, queries, { now })).toEqual({ ok: true, machines: [] });
  });

  it('a result without a Computer column names the columns and the fix', async () => {
    const evaluated = await evaluateGroup({ name: 'counts', query: 'Heartbeat | summarize n = count() by OSType' }, queries, { now, field: 'targets.dynamicGroups[0]' });
    expect(evaluated).toEqual({ ok: false, problem: { field: 'targets.dynamicGroups[0]', message: 'Group "counts": the query returns the columns OSType, n but no Computer column; end it with "| distinct Computer".' } });
  });

  it('a query error carries the engine diagnostic', async () => {
    const evaluated = await evaluateGroup({ name: 'typo', query: 'Hartbeat | distinct Computer' }, queries, { now });
    expect(evaluated.ok).toBe(false);
    if (!evaluated.ok) expect(evaluated.problem.message).toMatch(/^Group "typo": its query failed \(.*Hartbeat.*\); fix the query/);
  });

  it('a saved search is refused clearly until saved searches exist, resolved when a lookup is given', async () => {
    const unavailable = await evaluateGroup({ name: 'web', savedSearch: 'Web servers' }, queries, { now });
    expect(unavailable).toEqual({ ok: false, problem: { field: 'targets.groups', message: expect.stringMatching(/saved searches are not available yet: give the group's query instead/) } });
    const lookup = async (name: string): Promise<string | undefined> => (name === 'Web servers' ? 'Heartbeat | where Computer startswith "web" | distinct Computer' : undefined);
    expect(await evaluateGroup({ name: 'web', savedSearch: 'Web servers' }, queries, { now, savedSearches: lookup })).toEqual({ ok: true, machines: ['web-01', 'web-02'] });
    const missing = await evaluateGroup({ name: 'x', savedSearch: 'Nope' }, queries, { now, savedSearches: lookup });
    expect(missing.ok).toBe(false);
  });

  it('evaluateGroups freezes each group by name and reports each failure at its index', async () => {
    expect(await evaluateGroups([{ name: 'win', query: 'Heartbeat | where OSType == "Windows" | distinct Computer' }, { name: 'all', query: 'Heartbeat | distinct Computer' }], queries, { now })).toEqual({
      ok: true,
      frozen: { win: ['sql-01'], all: ['sql-01', 'web-01', 'web-02'] },
    });
    const failed = await evaluateGroups([{ name: 'ok', query: 'Heartbeat | distinct Computer' }, { name: 'bad', query: 'print x = 1' }], queries, { now });
    expect(failed).toEqual({ ok: false, problems: [{ field: 'targets.groups[1]', message: expect.stringMatching(/no Computer column/) }] });
  });
});
