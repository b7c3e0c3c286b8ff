/**
 * Browser-test helpers: the built workbench (rebuilt once when sources are newer than dist, under
 * a lock so parallel test files build it once), a real `upkeep serve` on 127.0.0.1 over a fresh
 * sample fleet, and headless Debian chromium driven by playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { generateSample } from '../../samples/generate.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(repoRoot, 'workbench/dist');
const sourceDirs = ['workbench/src', 'workbench/index.html', 'workbench/vite.config.ts', 'language', 'contracts', 'samples/queries'];
export const screenshotDir = join(repoRoot, 'test-output/workbench');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds workbench/dist if it is missing or older than its sources; returns the build time in ms (0 if fresh). */
export async function ensureBuilt(): Promise<number> {
  const lock = join(repoRoot, 'workbench/.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than 2 minutes is left over from a killed run.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    const built = existsSync(join(dist, 'index.html')) ? statSync(join(dist, 'index.html')).mtimeMs : 0;
    const sources = Math.max(...sourceDirs.map((d) => newestMtime(join(repoRoot, d))));
    if (built > sources) return 0;
    const started = performance.now();
    const result = spawnSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'workbench/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
    return performance.now() - started;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface SampleServer {
  url: string;
  adminToken: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** `upkeep serve` over a fresh DuckDB file holding a small deterministic sample fleet. */
export async function startSampleServer(machines = 12): Promise<SampleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-workbench-'));
  const dbPath = join(dir, 'upkeep.duckdb');
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  await generateSample(conn, { machines, days: 2, seed: 1, end: new Date(Math.floor(Date.now() / 60_000) * 60_000) });
  conn.closeSync();
  instance.closeSync();
  const server = await startServer({ dbPath, port: 0 });
  const adminToken = server.workspace.adminToken;
  if (!adminToken) throw new Error('a fresh server must print its admin token');
  return {
    url: server.url,
    adminToken,
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

export async function signIn(page: Page, url: string, token: string, path = '/search'): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** The Monaco editor, once loaded; typing goes to its hidden textarea. */
export async function editorReady(page: Page): Promise<void> {
  await page.locator('.editor[data-ready="true"] .monaco-editor').waitFor({ timeout: 15_000 });
}

export async function setQuery(page: Page, text: string): Promise<void> {
  await editorReady(page);
  // Monaco takes input through a hidden textarea or an EditContext element: clicking focuses either.
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}
