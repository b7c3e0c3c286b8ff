/** `upkeep compliance machines|updates` as users run it: a real process on a sample fleet file. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineCompliance, MissingUpdate } from '../contracts/updates.js';

const bin = join(import.meta.dirname, '../bin/upkeep.mjs');
const run = promisify(execFile);
const end = '2024-03-15T12:00:00Z';
const now = '2024-03-15T12:01:00Z';
let dir: string;

async function upkeep(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: dir, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-compliance-cli-'));
  expect((await upkeep('sample', '--machines', '30', '--days', '1', '--end', end, '--db', 'fleet.duckdb')).code).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upkeep compliance', () => {
  it('machines --format json speaks the HTTP API shape, with the query it ran', async () => {
    const out = await upkeep('compliance', 'machines', '--db', 'fleet.duckdb', '--now', now, '--format', 'json');
    expect(out.code).toBe(0);
    const body = JSON.parse(out.stdout) as { query: string; machines: MachineCompliance[] };
    expect(body.query).toContain('UpdateSummary');
    expect(body.machines.length).toBeGreaterThanOrEqual(28);
    expect(new Set(body.machines.map((m) => m.readiness))).toContain('Ready');
    expect(body.machines.find((m) => m.computer === 'ContosoVM1.contoso.com')).toMatchObject({ osType: 'Windows', restartPending: true });
  });

  it('updates as a table and as CSV, filtered by OS', async () => {
    const table = await upkeep('compliance', 'updates', '--db', 'fleet.duckdb', '--now', now, '--os', 'windows');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^Key\s+OSType\s+Machines/);
    const csv = await upkeep('compliance', 'updates', '--db', 'fleet.duckdb', '--now', now, '--format', 'csv', '--os', 'Linux');
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('Key,OSType,Machines,Title,KBID,Product,ProductArch,Version,Classification,Severity,CVENumbers,PublishedDate');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'Linux')).toBe(true);
    const json = JSON.parse((await upkeep('compliance', 'updates', '--db', 'fleet.duckdb', '--now', now, '--format', 'json')).stdout) as { updates: MissingUpdate[] };
    expect(json.updates.filter((u) => u.osType === 'Linux').map((u) => u.key)).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
  });

  it('refuses bad usage with exit code 2 and a missing database with exit code 1', async () => {
    const bad = await upkeep('compliance', 'machines', '--db', 'fleet.duckdb', '--compliance', 'green');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("compliance 'green' is not valid; use one of: compliant, noncompliant");
    const missing = await upkeep('compliance', 'updates', '--db', 'nothing-here.duckdb');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('upkeep sample');
  });
});
