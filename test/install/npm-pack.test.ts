/**
 * The package as users install it: `npm pack` (its prepack builds the workbench and the CLI),
 * `npm install -g --prefix <temp>` of the tarball, then the installed `upkeep` run from a
 * directory outside the repository: no TypeScript sources, no tsx and no build packages in the
 * installation, a sample fleet, a compliance view and a query file on it, then `upkeep serve`
 * answering a signed JSON batch (the compiled parsing worker), a query, the sample saved searches
 * and the workbench's index.html, and stopping cleanly on SIGTERM.
 *
 * The install resolves the runtime dependencies' versions from the registry (--prefer-offline:
 * from the npm cache when it has them, which after `npm ci` holds the tarballs); a machine
 * without the registry fails here with npm's own message. Slow by nature: minutes are allowed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { batchBody, kqlRows, postBatch, workspaceFor } from '../faults/serve-child.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'upkeep-npm-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const packMs = 240_000;
const installMs = 240_000;

/** The environment of a user's shell: none of the package settings `npm test` passes to its scripts. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  for (const key of Object.keys(env)) if (/^npm_(package|lifecycle)_|^npm_config_(prefix|global_prefix|local_prefix)$/.test(key)) delete env[key];
  return env;
}

async function npm(args: string[], cwd: string, timeout: number): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: userEnv(), timeout, maxBuffer: 64 * 2 ** 20 });
    return stdout;
  } catch (error) {
    const e = error as { killed?: boolean; stdout?: string; stderr?: string; message: string };
    const why = e.killed ? `did not finish within ${timeout / 1000} s` : 'failed';
    throw new Error(`npm ${args.join(' ')} ${why} (in ${cwd}):\n${e.stderr ?? ''}\n${e.stdout?.slice(-2000) ?? ''}\n${e.message}`);
  }
}

it('npm pack, npm install -g, then the installed upkeep samples, queries and serves from elsewhere', async () => {
  const packed = (await npm(['pack', '--pack-destination', dir], root, packMs)).trim().split('\n').pop()!;
  const tarball = join(dir, packed);
  expect(existsSync(tarball), `npm pack printed ${packed}`).toBe(true);

  const prefix = join(dir, 'prefix');
  await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], dir, installMs);
  const installed = join(prefix, 'lib/node_modules/upkeep');
  expect(readdirSync(installed).sort()).toEqual(['README.md', 'app', 'bin', 'dist', 'node_modules', 'package.json', 'samples', 'workbench']);
  expect(readdirSync(join(installed, 'app/updates/compliance')).sort()).toEqual(['machines.kql', 'updates.kql']);
  expect(existsSync(join(installed, 'cli'))).toBe(false);
  for (const devOnly of ['tsx', 'vite', 'esbuild', 'chevrotain', 'svelte', 'monaco-editor', 'typescript', 'vitest']) {
    expect(existsSync(join(installed, 'node_modules', devOnly)), `${devOnly} installed with the package`).toBe(false);
  }

  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  const upkeep = join(prefix, 'bin/upkeep');
  const dbPath = join(dir, 'u.duckdb');
  const cli = async (...args: string[]) => (await run(upkeep, args, { cwd: elsewhere, env: userEnv(), timeout: 60_000 })).stdout;

  expect(await cli('--version')).toBe('0.1.0\n');
  expect(await cli('sample', '--machines', '6', '--days', '1', '--end', '2024-03-15T12:00:00Z', '--db', dbPath)).toMatch(/Wrote a sample fleet of 6 machines/);
  const machines = JSON.parse(await cli('compliance', 'machines', '--db', dbPath, '--now', '2024-03-15T12:00:00Z', '--format', 'json')) as { machines: unknown[] };
  expect(machines.machines).toHaveLength(6);
  const queryFile = join(elsewhere, 'count.kql');
  writeFileSync(queryFile, 'Heartbeat | summarize Machines = dcount(Computer)\n');
  expect(JSON.parse(await cli('query', '-f', queryFile, '--db', dbPath, '--format', 'json'))).toMatchObject({ rows: [[6]] });

  const credentials = workspaceFor(dbPath);
  const serving = await serve(upkeep, ['serve', '--db', dbPath, '--port', '0', '--log-level', 'warn'], elsewhere);
  try {
    const stored = await postBatch(serving.url, credentials, 'installed-1', batchBody('installed-1', 3));
    expect(stored.status, await stored.clone().text()).toBe(200);
    expect(await kqlRows(serving.url, credentials, 'Heartbeat | where Computer startswith "installed-1-" | count')).toEqual([[3]]);
    const saved = (await (await fetch(`${serving.url}/api/saved-searches`, { headers: { authorization: `Bearer ${credentials.adminToken}` } })).json()) as { savedSearches: { category: string }[] };
    expect(saved.savedSearches.filter((s) => s.category === 'Samples').length).toBeGreaterThan(5);
    const index = await fetch(`${serving.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toMatch(/<script type="module"[^>]* src="\/assets\//);
  } finally {
    expect(await stop(serving.child)).toBe(0);
  }
}, packMs + installMs + 120_000);

/** Starts the installed `upkeep serve`; resolves with its address once it answers. */
function serve(command: string, args: string[], cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the installed upkeep serve did not start within 60 s: ${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Upkeep listening on (\S+)/.exec(output);
      if (!match) return;
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      clearTimeout(timer);
      // One answered request: its SIGTERM handler is installed by then.
      fetch(`${match[1]}/api/schema`).then(() => resolve({ child, url: match[1]! }), reject);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the installed upkeep serve exited with ${code ?? signal}: ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  child.kill('SIGTERM');
  return exited;
}
