/**
 * The Deployments pages in headless chromium against a real `upkeep serve` over a sample fleet.
 * The server runs on a ManualClock (startServer's `clock` option) set to the real time, so the
 * browser's "start in the future" agrees with the server's, and the test moves the scheduler to
 * each occurrence: the runs are made by the real scheduler and run engine, with a signed agent
 * speaking the job protocol for two of the sample machines (one succeeds, one fails an update,
 * one never picks its job up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start-server.js';
import type { AgentJob, Deployment, Run } from '../../contracts/updates.js';
import { ManualClock } from '../../contracts/clock.js';
import { SignedAgent } from '../../app/updates/runs/test-fixtures.js';
import { generateSample } from '../../samples/generate.js';
import { ensureBuilt, launchBrowser, screenshot, signIn } from './harness.js';

const clock = new ManualClock(new Date(Math.floor(Date.now() / 60_000) * 60_000));
let dir: string;
let server: RunningServer;
let adminToken: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const buildMs = await ensureBuilt();
  if (buildMs > 0) console.log(`vite build: ${Math.round(buildMs)} ms`);
  dir = mkdtempSync(join(tmpdir(), 'upkeep-deployments-'));
  const dbPath = join(dir, 'upkeep.duckdb');
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  await generateSample(conn, { machines: 12, days: 2, seed: 1, end: clock.now() });
  conn.closeSync();
  instance.closeSync();
  [server, browser] = await Promise.all([startServer({ dbPath, port: 0, clock, updateRuns: { tickMs: 5_000 } }), launchBrowser()]);
  adminToken = server.workspace.adminToken!;
  // The browser's zone is the form's default: Berlin, so the schedule reads in a zone that is not UTC.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}` } });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Moves the server's clock in scheduler ticks until `probe` answers. */
async function until<T>(probe: () => Promise<T | undefined>, stepMs = 5_000): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error('condition not reached');
}

/**
 * The page on a narrow window (a phone held upright): nothing may widen the page itself (wide
 * tables scroll inside their own box); saved as `<name>-narrow`.
 */
async function narrowScreenshot(name: string): Promise<void> {
  await page.setViewportSize({ width: 400, height: 800 });
  try {
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await screenshot(page, `${name}-narrow`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
}

let deployment: Deployment;
let machines: string[] = [];
/** Agent A's job in the run left in progress, and the agent itself. */
let runningJob: AgentJob;
let agentA: SignedAgent;

describe('deployments in a real browser', () => {
  it('schedules a deployment through the form: the server refuses a 20-minute window next to the field, then saves and previews the next occurrences', async () => {
    await signIn(page, server.url, adminToken, '/deployments');
    await page.getByText('No deployments yet').waitFor();
    await page.getByRole('link', { name: 'Schedule deployment' }).click();
    await page.getByRole('heading', { name: 'Schedule deployment' }).waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    await page.getByLabel('Name', { exact: true }).fill('Nightly Linux security');
    // The OS switches the classification list and the exclusion hint.
    await page.getByRole('radio', { name: 'Windows' }).check();
    await page.getByRole('checkbox', { name: 'Update Rollups' }).waitFor();
    expect(await page.locator('#update-list-hint').innerText()).toMatch(/KB numbers, digits only/);
    await page.getByRole('radio', { name: 'Linux' }).check();
    expect(await page.getByRole('checkbox', { name: 'Update Rollups' }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Other Updates' }).isChecked()).toBe(false);
    const picker = page.getByRole('list', { name: 'Linux machines' });
    await picker.waitFor();
    const boxes = picker.getByRole('checkbox');
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    for (const i of [0, 1]) {
      await boxes.nth(i).check();
      machines.push((await boxes.nth(i).locator('..').innerText()).trim());
    }
    await page.getByLabel('Excluded updates').fill('kernel*');
    await page.getByLabel('Repeats').selectOption('Day');
    await page.getByLabel('Maintenance window (minutes)').fill('20');
    await page.getByRole('button', { name: 'Schedule deployment' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'was not saved' });
    await expect.poll(() => summary.innerText()).toMatch(/Maintenance window: The maintenance window is whole minutes from 30 to 360; 20 is not/);
    const window = page.getByLabel('Maintenance window (minutes)');
    expect(await window.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#deployment-windowMinutes-error').innerText()).toMatch(/20 is not \(the last 20 minutes are kept for the reboot\)/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('summary'))).toBe(true);
    await screenshot(page, 'deployments-01-form-refused');
    await window.scrollIntoViewIfNeeded();
    await screenshot(page, 'deployments-01b-form-window-error');
    await narrowScreenshot('deployments-01b-form-window-error');
    // The summary links to the field.
    await summary.getByRole('link', { name: 'Maintenance window' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('deployment-windowMinutes');

    await window.fill('60');
    const start = await page.getByLabel('Start time').inputValue();
    // A group is evaluated by the server once the rest is valid: one without a Computer column is refused at its field.
    await page.getByRole('button', { name: 'Add group' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('deployment-targets-groups-0-name');
    await page.keyboard.type('web tier');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Heartbeat | summarize count() by OSType');
    await page.getByRole('button', { name: 'Schedule deployment' }).click();
    await expect.poll(() => page.locator('#deployment-targets-groups-error').innerText()).toMatch(/Group "web tier": the query returns the columns OSType, count_ but no Computer column; end it with "\| distinct Computer"/);
    expect(await summary.innerText()).toMatch(/Groups: Group "web tier"/);
    await page.locator('#deployment-targets-groups').scrollIntoViewIfNeeded();
    await screenshot(page, 'deployments-01c-form-group-refused');
    await page.getByRole('button', { name: 'Remove group web tier' }).click();
    await page.getByRole('button', { name: 'Schedule deployment' }).click();
    const saved = page.getByRole('status').filter({ hasText: 'Saved' });
    await saved.waitFor();
    const next = await saved.getByRole('list', { name: 'Next occurrences' }).getByRole('listitem').allInnerTexts();
    expect(next).toHaveLength(5);
    expect(next[0]).toContain(`${start.replace('T', ' ')} Europe/Berlin`);
    expect(await saved.innerText()).toContain(`every day at ${start.slice(11)} Europe/Berlin, 60-minute window`);
    await screenshot(page, 'deployments-02-form-saved');
    [deployment] = (await api<{ deployments: Deployment[] }>('GET', '/api/deployments')).deployments as [Deployment];
    expect(deployment).toMatchObject({ name: 'Nightly Linux security', windowMinutes: 60, excludedUpdates: ['kernel*'], targets: { machines } });
  });

  it('lists it with its schedule in words and its next occurrence', async () => {
    await page.getByRole('link', { name: 'All deployments' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Nightly Linux security' });
    await expect.poll(() => row.innerText()).toMatch(/Linux\s+every day at \d\d:00 Europe\/Berlin\s+\w{3} \d{4}-\d\d-\d\d \d\d:00 Europe\/Berlin\s+60 min\s+2 machines\s+no runs yet/);
    await screenshot(page, 'deployments-03-list');
    await narrowScreenshot('deployments-03-list');
  });

  it('edits it: the form comes filled in, the change is saved and listed', async () => {
    await page.getByRole('link', { name: 'Edit Nightly Linux security' }).click();
    await page.getByRole('heading', { name: 'Edit deployment' }).waitFor();
    const window = page.getByLabel('Maintenance window (minutes)');
    await expect.poll(() => window.inputValue()).toBe('60');
    expect(await page.getByLabel('Repeats').inputValue()).toBe('Day');
    expect(await page.getByLabel('Excluded updates').inputValue()).toBe('kernel*');
    for (const machine of machines) expect(await page.getByRole('checkbox', { name: machine }).isChecked()).toBe(true);
    await window.fill('75');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.getByRole('link', { name: 'All deployments' }).click();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Nightly Linux security' }).innerText()).toMatch(/75 min/);
  });

  it('runs made by the scheduler: history with the outcomes chart, a run machine by machine, the updates with their errors, links to Log search', async () => {
    const [a, b] = machines as [string, string];
    agentA = new SignedAgent(server.url, server.workspace.workspace.workspaceId, server.workspace.workspace.primaryKey, a, 'agent-a', () => clock.now());
    const agentB = new SignedAgent(server.url, server.workspace.workspace.workspaceId, server.workspace.workspace.primaryKey, b, 'agent-b', () => clock.now());
    const runs = () => api<{ runs: Run[] }>('GET', `/api/deployments/${deployment.id}/runs`).then((r) => r.runs);
    const takeJob = async (agent: SignedAgent) => until(async () => {
      const response = await agent.next(0);
      return response.status === 200 ? ((await response.json()) as AgentJob) : undefined;
    });
    const occurrences = (await api<{ occurrences: string[] }>('GET', `/api/deployments/${deployment.id}/occurrences?count=3`)).occurrences;

    // Night 1: A installs one update and fails another; B never picks its job up (FailedToStart).
    clock.set(occurrences[0]!);
    const jobA = await takeJob(agentA);
    await agentA.progress(jobA.jobId, [
      { product: 'openssl', productArch: 'amd64', version: '3.0.2-0ubuntu1.15', title: 'openssl 3.0.2-0ubuntu1.15', classification: 'Security Updates', status: 'Succeeded' },
      { product: 'curl', productArch: 'amd64', version: '7.81.0-1ubuntu1.16', title: 'curl 7.81.0-1ubuntu1.16', classification: 'Security Updates', status: 'InstallFailed', errorResult: 'E: Unable to fetch some archives, maybe run apt-get update' },
    ]);
    await agentA.complete(jobA.jobId, 'Failed', 'curl could not be installed');
    // Past the last start of the (edited) 75-minute window: 20 minutes are kept for the reboot.
    clock.set(new Date(Date.parse(occurrences[0]!) + (75 - 20 + 1) * 60_000));
    await until(async () => ((await runs())[0]?.endedAt ? true : undefined));
    // Night 2: both succeed. Night 3: A is installing when the operator looks.
    for (const night of [1, 2]) {
      clock.set(occurrences[night]!);
      for (const agent of night === 1 ? [agentA, agentB] : [agentA]) {
        const job = await takeJob(agent);
        await agent.progress(job.jobId, [{ product: 'zlib1g', productArch: 'amd64', version: '1:1.2.11', title: 'zlib1g 1:1.2.11', classification: 'Security Updates', status: night === 1 ? 'Succeeded' : 'InProgress' }]);
        if (night === 1) await agent.complete(job.jobId, 'Succeeded');
        else runningJob = job;
      }
      if (night === 1) await until(async () => ((await runs())[0]?.status === 'Succeeded' ? true : undefined));
    }
    const made = await runs();
    expect(made.map((r) => r.status)).toEqual(['InProgress', 'Succeeded', 'Failed']);

    // The list refuses deleting while a run is in progress, with the server's message.
    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'Nightly Linux security' });
    await expect.poll(() => row.innerText()).toMatch(/InProgress/);
    await row.getByRole('button', { name: 'Delete Nightly Linux security' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete deployment?' });
    await confirm.waitFor();
    // The confirmation is modal: focus is in it, and Escape keeps the deployment.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    await row.getByRole('button', { name: 'Delete Nightly Linux security' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Nightly Linux security" has a run in progress \(.*cancel it with POST/);
    await screenshot(page, 'deployments-04-delete-refused');

    await row.getByRole('link', { name: 'Nightly Linux security', exact: true }).click();
    const chart = page.locator('.chart[data-series-count]');
    await chart.waitFor({ timeout: 10_000 });
    expect(Number(await chart.getAttribute('data-series-count'))).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('table', { name: 'Runs' }).getByRole('row').count()).toBe(4);
    await screenshot(page, 'deployments-05-runs');
    await narrowScreenshot('deployments-05-runs');

    const failed = made[2]!;
    const runLog = page.getByRole('link', { name: /UpdateRunProgress of the run at/ }).last();
    expect(decodeURIComponent((await runLog.getAttribute('href'))!.replace(/\+/g, ' '))).toContain(`CorrelationId == "${failed.id}"`);
    await page.getByRole('table', { name: 'Runs' }).getByRole('row').last().getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Run of Nightly Linux security' }).waitFor();
    const machinesTable = page.getByRole('table', { name: 'Machines' });
    await expect.poll(() => machinesTable.getByRole('row').filter({ hasText: a }).innerText()).toMatch(/Failed\s+1\s+0\s+1/);
    expect(await machinesTable.getByRole('row').filter({ hasText: b }).innerText()).toMatch(/FailedToStart/);
    await machinesTable.getByRole('button', { name: a }).click();
    const updates = page.getByRole('table', { name: `Updates on ${a}` });
    await expect.poll(() => updates.innerText()).toMatch(/curl 7\.81\.0-1ubuntu1\.16[\s\S]*InstallFailed\s+E: Unable to fetch some archives/);
    await screenshot(page, 'deployments-06-run-detail');
    await narrowScreenshot('deployments-06-run-detail');

    await page.getByRole('link', { name: `UpdateRunProgress of ${a} in Log search` }).click();
    await page.waitForURL(/\/search\?/);
    const query = new URL(page.url()).searchParams.get('q')!;
    expect(query).toContain(`CorrelationId == "${failed.id}" and Computer == "${a}"`);
    await page.goBack();
    await page.getByRole('heading', { name: 'Run of Nightly Linux security' }).waitFor();
  });

  it('cancels a run in progress after confirming', async () => {
    const running = (await api<{ runs: Run[] }>('GET', `/api/deployments/${deployment.id}/runs`)).runs[0]!;
    await page.goto(`${server.url}/deployments/${deployment.id}/runs/${running.id}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
    await dialog.waitFor();
    await screenshot(page, 'deployments-07-cancel-confirm');
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByText('Cancel requested').waitFor();
    // The agent hears the cancel at its next report and stops; the page refreshes itself.
    const answer = await agentA.progress(runningJob.jobId, [{ product: 'zlib1g', productArch: 'amd64', version: '1:1.2.11', title: 'zlib1g 1:1.2.11', classification: 'Security Updates', status: 'Succeeded' }]);
    expect(await answer.json()).toEqual({ cancel: true });
    await agentA.complete(runningJob.jobId, 'Canceled');
    await until(async () => ((await api<Run>('GET', `/api/runs/${running.id}`)).endedAt ? true : undefined));
    await expect.poll(() => page.getByLabel(/^Run status/).innerText(), { timeout: 12_000 }).toBe('Canceled');
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    await screenshot(page, 'deployments-08-canceled');

    // With no run in progress, the deployment can be deleted.
    await page.getByRole('link', { name: 'Deployments', exact: true }).first().click();
    await page.getByRole('button', { name: 'Delete Nightly Linux security' }).click();
    await page.getByRole('dialog', { name: 'Delete deployment?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted "Nightly Linux security".' }).waitFor();
    await page.getByText('No deployments yet').waitFor();
    expect((await api<{ deployments: Deployment[] }>('GET', '/api/deployments')).deployments).toEqual([]);
  });
});
