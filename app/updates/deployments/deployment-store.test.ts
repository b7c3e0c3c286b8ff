import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runQuery } from '../../../query/run-query.js';
import { DeploymentStore, DuplicateDeploymentNameError } from './deployment-store.js';
import { sampleDeploymentInput } from './sample-input.js';

let dir: string;
let dbPath: string;
let instance: DuckDBInstance;
let store: DeploymentStore;
const now = new Date('2030-06-01T10:00:00.000Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-deployments-'));
  dbPath = join(dir, 'upkeep.duckdb');
  instance = await DuckDBInstance.create(dbPath);
  store = await DeploymentStore.open(instance);
});

afterEach(() => {
  store.close();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('DeploymentStore', () => {
  it('creates, reads by id and name, lists by name', async () => {
    const b = await store.create(sampleDeploymentInput({ name: 'b nightly' }), now);
    const a = await store.create(sampleDeploymentInput({ name: 'A weekly' }), now, { web: ['x.contoso.com'] });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.createdAt).toBe('2030-06-01T10:00:00.000Z');
    expect(a.frozenGroups).toEqual({ web: ['x.contoso.com'] });
    expect(await store.get(a.id)).toEqual(a);
    expect(await store.getByName('a WEEKLY')).toEqual(a);
    expect(await store.get('nope')).toBeUndefined();
    expect((await store.list()).map((d) => d.name)).toEqual(['A weekly', 'b nightly']);
    expect(b.frozenGroups).toEqual({});
  });

  it('refuses a duplicate name, case-insensitively, naming the existing deployment', async () => {
    const first = await store.create(sampleDeploymentInput({ name: 'Patch Tuesday' }), now);
    await expect(store.create(sampleDeploymentInput({ name: 'patch tuesday' }), now)).rejects.toThrow(DuplicateDeploymentNameError);
    await expect(store.create(sampleDeploymentInput({ name: 'PATCH TUESDAY ' }), now)).rejects.toThrow(first.id);
    expect(await store.list()).toHaveLength(1);
  });

  it('concurrent creates of one name store exactly one', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.create(sampleDeploymentInput({ name: 'race' }), now)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await store.list()).toHaveLength(1);
  });

  it('replaces the definition, keeping id, creation time and frozen groups; renames are checked', async () => {
    const created = await store.create(sampleDeploymentInput({ name: 'one' }), now, { g: ['m1'] });
    await store.create(sampleDeploymentInput({ name: 'two' }), now);
    const later = new Date('2030-06-02T10:00:00.000Z');
    const replaced = await store.replace(created.id, sampleDeploymentInput({ name: 'One', windowMinutes: 60 }), later);
    expect(replaced).toMatchObject({ id: created.id, name: 'One', windowMinutes: 60, createdAt: created.createdAt, updatedAt: later.toISOString(), frozenGroups: { g: ['m1'] } });
    expect(await store.get(created.id)).toEqual(replaced);
    await expect(store.replace(created.id, sampleDeploymentInput({ name: 'TWO' }), later)).rejects.toThrow(DuplicateDeploymentNameError);
    expect((await store.get(created.id))?.name).toBe('One');
    expect(await store.replace('missing', sampleDeploymentInput(), later)).toBeUndefined();
    const regrouped = await store.replace(created.id, sampleDeploymentInput({ name: 'One' }), later, { h: ['m2'] });
    expect(regrouped?.frozenGroups).toEqual({ h: ['m2'] });
  });

  it('deletes', async () => {
    const created = await store.create(sampleDeploymentInput(), now);
    expect(await store.delete(created.id)).toBe(true);
    expect(await store.delete(created.id)).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('survives a reopen of the file, and opening twice is harmless', async () => {
    const created = await store.create(sampleDeploymentInput(), now);
    const second = await DeploymentStore.open(instance);
    expect(await second.list()).toEqual([created]);
    second.close();
    store.close();
    instance.closeSync();
    instance = await DuckDBInstance.create(dbPath);
    store = await DeploymentStore.open(instance);
    expect(await store.get(created.id)).toEqual(created);
  });

  it('is invisible to KQL: the catalog only knows record tables', async () => {
    await store.create(sampleDeploymentInput(), now);
    const outcome = await runQuery('deployments | count', { db: dbPath });
    expect(outcome.ok).toBe(false);
  });
});
