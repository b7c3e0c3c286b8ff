/**
 * Each command loads its own code only: `upkeep --version` starts without DuckDB or the server,
 * `upkeep query 'print 1'` (no table) needs DuckDB in memory but neither a database file nor the
 * server, `upkeep sql` compiles without DuckDB, `upkeep agent` loads neither. Real processes of
 * the compiled command (dist/), the packages each loaded recorded by a preloaded script.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../bin/upkeep.mjs');
const preload = join(import.meta.dirname, 'testdata/loaded-packages.cjs');
const dir = mkdtempSync(join(tmpdir(), 'upkeep-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs upkeep in an empty directory; its exit code, output and the packages it loaded. */
async function upkeep(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; loaded: string[] }> {
  const record = join(dir, `loaded-${runs++}.json`);
  const cwd = mkdtempSync(join(dir, 'cwd-'));
  const options = { cwd, timeout: 60_000, env: { ...process.env, UPKEEP_LOADED_PACKAGES: record } };
  let outcome: { code: number; stdout: string; stderr: string };
  try {
    outcome = { code: 0, ...(await run(process.execPath, ['--require', preload, bin, ...args], options)) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    outcome = { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  expect(readdirSync(cwd), `upkeep ${args.join(' ')} left files in its directory`).toEqual([]);
  return { ...outcome, loaded: JSON.parse(readFileSync(record, 'utf8')) as string[] };
}

describe('commands load lazily', () => {
  it('--version loads neither DuckDB nor the server', async () => {
    const out = await upkeep('--version');
    expect(out.stdout).toBe('0.1.0\n');
    expect(out.loaded).not.toContain('@duckdb/node-api');
    expect(out.loaded).not.toContain('fastify');
  });

  it("query 'print 1' opens no database file and loads no server code", async () => {
    const out = await upkeep('query', 'print 1', '--format', 'json');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ rows: [[1]] });
    expect(out.loaded).toContain('@duckdb/node-api');
    expect(out.loaded).not.toContain('fastify');
  });

  it('a query of a table without a database file says how to make one, and creates none', async () => {
    const out = await upkeep('query', 'Heartbeat | count');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/No database at \.\/data\/upkeep\.duckdb/);
  });

  it('sql compiles without DuckDB; agent checks its flags without DuckDB or the server', async () => {
    const sql = await upkeep('sql', 'print 1');
    expect(sql.stdout).toMatch(/^SELECT /);
    expect(sql.loaded).not.toContain('@duckdb/node-api');
    const agent = await upkeep('agent', '--server', 'ftp://example.com', '--workspace', 'w', '--key', 'a2V5');
    expect(agent.code).toBe(2);
    expect(agent.stderr).toMatch(/--server must be an http:\/\/ or https:\/\/ URL/);
    expect(agent.loaded).toEqual(['commander']);
  });
});
