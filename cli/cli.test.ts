/** The `upkeep` command as users run it: a real process, real files, exit codes and output. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../bin/upkeep.mjs');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function upkeep(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: dir, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'upkeep-cli-'));
  const sample = await upkeep('sample', '--machines', '12', '--days', '1', '--end', '2024-03-15T12:00:00Z', '--db', 'fleet.duckdb');
  expect(sample.code).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upkeep query', () => {
  it('prints the exact JSON shape', async () => {
    const out = await upkeep('query', 'print n = 1, s = "a" | render table', '--format', 'json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      columns: [
        { name: 'n', type: 'long' },
        { name: 's', type: 'string' },
      ],
      rows: [[1, 'a']],
      truncated: false,
      render: { visualization: 'table', properties: {} },
    });
  });

  it('runs inline-data queries without any database file', async () => {
    const out = await upkeep('query', 'range i from 1 to 3 step 1 | summarize sum(i)', '--db', 'does-not-exist.duckdb', '--format', 'csv');
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split(/\r?\n/)).toEqual(['sum_i', '6']);
  });

  it('queries the database file and reads -f files', async () => {
    writeFileSync(join(dir, 'q.kql'), '// machines\nHeartbeat\n| summarize dcount(Computer)');
    const out = await upkeep('query', '-f', 'q.kql', '--db', 'fleet.duckdb', '--format', 'json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).rows[0][0]).toBeGreaterThan(0);
  });

  it('reports a query error as line:col: CODE: message with exit code 1', async () => {
    const out = await upkeep('query', 'Heartbeat\n| where Computr == "x"', '--db', 'fleet.duckdb');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^2:9: E202: .*Did you mean 'Computer'\?/);
  });

  it('names a missing database and how to create it', async () => {
    const out = await upkeep('query', 'Heartbeat | count', '--db', 'missing.duckdb');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('upkeep sample');
  });

  it('exits 2 on bad usage', async () => {
    expect((await upkeep('query')).code).toBe(2);
    expect((await upkeep('query', 'print 1', '--format', 'xml')).code).toBe(2);
    expect((await upkeep('sample', '--machines', '0', '--db', 'x.duckdb')).code).toBe(2);
  });

  it('truncates at --max-rows and says so', async () => {
    const out = await upkeep('query', 'range i from 1 to 10 step 1', '--max-rows', '3', '--format', 'json');
    expect(JSON.parse(out.stdout)).toMatchObject({ truncated: true, rows: [[1], [2], [3]] });
  });
});

describe('upkeep sql and schema', () => {
  it('prints the generated SQL', async () => {
    const out = await upkeep('sql', 'Heartbeat | take 1');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('FROM "Heartbeat"');
  });

  it('lists the tables and a table\'s columns', async () => {
    expect((await upkeep('schema')).stdout).toContain('UpdateRunProgress');
    const columns = await upkeep('schema', 'Update');
    expect(columns.stdout).toMatch(/PublishedDate\s+datetime/);
  });
});
