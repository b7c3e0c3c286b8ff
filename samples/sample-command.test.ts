import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerSampleCommand } from '../cli/sample-command.js';
import { openDatabase } from '../records/store/duckdb-store.js';
import { count } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-sample-'));
const db = join(dir, 'fleet.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stdout = '';
let stderr = '';
beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
});

async function sample(...args: string[]): Promise<void> {
  const program = new Command().name('upkeep').exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
  registerSampleCommand(program);
  await program.parseAsync(['sample', ...args], { from: 'user' });
}

async function heartbeats(): Promise<number> {
  const conn = await (await openDatabase(db)).connect();
  try {
    return await count(conn, 'SELECT count(*) FROM Heartbeat');
  } finally {
    conn.closeSync();
  }
}

const small = ['--db', db, '--machines', '3', '--days', '1', '--end', '2024-06-01T12:00:00Z'];

describe('upkeep sample', () => {
  it.each([
    [['--machines', '0'], /--machines needs a whole number from 1 to 100000, got '0'/],
    [['--days', 'abc'], /--days needs a whole number from 1 to 90, got 'abc'/],
    [['--seed', '-3'], /--seed needs a whole number from 0/],
    [['--end', 'yesterday'], /--end needs an ISO 8601 time/],
  ])('rejects %o naming the option and its range', async (args, message) => {
    const error = await sample(...args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).code).toBe('commander.invalidArgument');
    expect(stderr).toMatch(message);
  });

  it('writes a fleet, refuses to write over it without --replace, and leaves it alone with --if-missing', async () => {
    await sample(...small);
    expect(stdout).toMatch(/Wrote a sample fleet of 3 machines.*Heartbeat [\d,]+, Update [\d,]+/);
    const first = await heartbeats();
    expect(first).toBeGreaterThan(2 * 1440);

    const refused = await sample(...small).catch((e: unknown) => e);
    expect((refused as CommanderError).exitCode).toBe(2);
    expect(stderr).toMatch(/already holds .* record rows\. Add --replace/);

    await sample(...small, '--if-missing');
    expect(stdout).toMatch(/nothing to do/);
    expect(await heartbeats()).toBe(first);

    await sample(...small, '--replace');
    expect(await heartbeats()).toBe(first);
  });

  it('rejects --if-missing together with --replace', async () => {
    const error = await sample(...small, '--if-missing', '--replace').catch((e: unknown) => e);
    expect((error as CommanderError).exitCode).toBe(2);
    expect(stderr).toMatch(/contradict/);
  });
});
