/**
 * `upkeep serve` as a user starts it: the first start creates the workspace and prints its admin
 * token once (it works); later starts never print a token, not even in the structured log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceFileOf } from '../../app/workspace/workspace-file.js';

const dir = mkdtempSync(join(tmpdir(), 'upkeep-first-start-'));
const dbPath = join(dir, 'fleet.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Served {
  output: string;
  url: string;
  /** Stops the server (SIGTERM) and returns everything it printed. */
  stop(): Promise<string>;
}

/** Starts `upkeep serve --port 0` and waits for its "listening" line. */
function serve(): Promise<Served> {
  const child = spawn(process.execPath, ['bin/upkeep.mjs', 'serve', '--db', dbPath, '--port', '0', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upkeep serve did not start: ${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /Upkeep listening on (\S+)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        output,
        url: listening[1]!,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
          return output;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`upkeep serve exited with ${code}: ${output}`)));
  });
}

describe('the first start', () => {
  it('prints an admin token once, and never again', async () => {
    const first = await serve();
    const printed = /Admin token:\s+(upk_[0-9a-f]{12}_[A-Za-z0-9_-]+)/.exec(first.output);
    expect(printed, first.output).not.toBeNull();
    const token = printed![1]!;
    const asAdmin = await fetch(`${first.url}/api/tokens`, { headers: { authorization: `Bearer ${token}` } });
    expect(asAdmin.status).toBe(200);
    const firstOutput = await first.stop();
    expect(firstOutput.split(token).length - 1, 'the token appears once in the first start\'s output').toBe(1);
    expect(readFileSync(workspaceFileOf(dbPath), 'utf8')).not.toContain(token.slice(17));

    const second = await serve();
    const refused = await fetch(`${second.url}/api/tokens`, { headers: { authorization: 'Bearer upk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(refused.status).toBe(401);
    expect((await fetch(`${second.url}/api/tokens`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const secondOutput = await second.stop();
    expect(secondOutput).not.toMatch(/upk_/);
    expect(secondOutput).not.toMatch(/Admin token/);
  }, 90_000);
});
