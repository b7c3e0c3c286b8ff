/**
 * Saved searches and alert rules in headless chromium against a real `upkeep serve` over a sample
 * fleet, on a ManualClock so the alert evaluator's periods can be stepped: a query saved from log
 * search (the server's problems at the name first) shows in the side panel, in completion and on
 * /saved; a delete the server refuses (the default dashboard uses the search) lists the users with
 * links; an alert rule made through the form (a 30-second frequency refused first) is evaluated
 * now (a dry run), then by the scheduler, and its instances, list summary and AlertEvaluation
 * records appear; deleting it asks first. Screenshots at 1280×800 and 600 wide.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertInstance, AlertRule } from '../../contracts/alerts.js';
import type { Dashboard } from '../../contracts/dashboards.js';
import type { SavedSearch } from '../../contracts/saved.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { ManualClock } from '../../contracts/clock.js';
import { generateSample } from '../../samples/generate.js';
import { editorReady, ensureBuilt, launchBrowser, screenshot, setQuery, signIn } from './harness.js';

const MINUTE = 60_000;
let dir: string;
let server: RunningServer;
let url: string;
let token: string;
let clock: ManualClock;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The server's log lines (pino JSON): the alert evaluator logs through the app's logger. */
const logLines: string[] = [];

beforeAll(async () => {
  const buildMs = await ensureBuilt();
  if (buildMs > 0) console.log(`vite build: ${Math.round(buildMs)} ms`);
  dir = mkdtempSync(join(tmpdir(), 'upkeep-saved-alerts-'));
  const dbPath = join(dir, 'upkeep.duckdb');
  const end = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const instance = await DuckDBInstance.create(dbPath);
  const conn = await instance.connect();
  await generateSample(conn, { machines: 12, days: 2, seed: 1, end });
  conn.closeSync();
  instance.closeSync();
  clock = new ManualClock(new Date(end.getTime() + 30_000));
  // A long tick: the test steps the evaluator itself after moving the clock. The rule's webhook
  // points at a closed port: one quick retry keeps delivery (awaited by settled()) short.
  const alerts = { tickMs: 3_600_000, backoff: { retries: 1, firstDelayMs: 20, maxDelayMs: 50, timeoutMs: 1_000 } };
  [server, browser] = await Promise.all([startServer({ dbPath, port: 0, clock, alerts, logger: { level: 'warn', stream: { write: (line: string) => void logLines.push(line) } } }), launchBrowser()]);
  url = server.url;
  token = server.workspace.adminToken!;
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const savedSearches = async () => (await api<{ savedSearches: SavedSearch[] }>('GET', '/api/saved-searches')).savedSearches;
const editorText = () => page.locator('.monaco-editor .view-lines').innerText().then((t) => t.replace(/\u00a0/g, ' '));

async function narrowShot(name: string): Promise<void> {
  await page.setViewportSize({ width: 600, height: 900 });
  await page.waitForTimeout(200);
  await screenshot(page, name);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('saved searches', () => {
  it('saves a query from log search: the server\'s problems at the name, then the panel, completion and the editor', async () => {
    await signIn(page, url, token, '/search');
    await editorReady(page);
    const taken = (await savedSearches())[0]!;
    await setQuery(page, 'Heartbeat\n| where OSType == "Linux"\n| distinct Computer');

    await page.getByRole('toolbar', { name: 'Query actions' }).getByRole('button', { name: 'Save' }).click();
    const form = page.getByRole('form', { name: 'Save search' });
    await form.getByLabel('Name').fill('Linux machines');
    await form.getByRole('button', { name: 'Save search' }).click();
    await expect.poll(() => form.locator('#save-name-error').innerText()).toMatch(/cannot be used as a function name.*"Linux_machines"/);
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'saved-01-name-refused');

    await form.getByLabel('Name').fill(taken.name);
    await form.getByRole('button', { name: 'Save search' }).click();
    await expect.poll(() => form.locator('#save-name-error').innerText()).toMatch(new RegExp(`${taken.name}.*(taken|exists|already)`, 'i'));

    await form.getByLabel('Name').fill('LinuxMachines');
    await form.getByLabel('Category').fill('Computer groups');
    await form.getByLabel('Description').fill('Every machine reporting as Linux');
    await form.getByRole('button', { name: 'Save search' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “LinuxMachines” in Computer groups' }).waitFor();
    const group = page.getByRole('list', { name: 'Computer groups saved searches' });
    await group.getByRole('button', { name: /LinuxMachines/ }).waitFor();
    const stored = (await savedSearches()).find((s) => s.name === 'LinuxMachines')!;
    expect(stored).toMatchObject({ category: 'Computer groups', description: 'Every machine reporting as Linux', query: 'Heartbeat\n| where OSType == "Linux"\n| distinct Computer' });
    // The panel lists every category the server has.
    const categories = [...new Set((await savedSearches()).map((s) => s.category))];
    for (const c of categories) await page.getByRole('heading', { name: c || 'Uncategorised', level: 3 }).waitFor();
    await screenshot(page, 'saved-02-panel');

    // Completion offers it (from /api/schema functions, fetched again after the save).
    await setQuery(page, 'LinuxMa');
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'LinuxMachines' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'saved-03-completion');
    await page.keyboard.press('Escape');

    await group.getByRole('button', { name: /LinuxMachines/ }).click();
    await expect.poll(editorText).toContain('| distinct Computer');
    await page.getByRole('toolbar', { name: 'Query actions' }).getByRole('button', { name: 'Save' }).click();
    await narrowShot('saved-04-search-narrow');
    await page.getByRole('form', { name: 'Save search' }).getByRole('button', { name: 'Cancel' }).click();
  });

  it('lists saved searches by category on /saved; a delete a dashboard blocks lists its users with links', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Saved searches' }).click();
    const section = page.getByRole('region', { name: /Computer groups/ });
    await section.getByRole('link', { name: 'LinuxMachines', exact: true }).waitFor();
    await screenshot(page, 'saved-05-list');

    const dashboard = (await api<{ dashboards: Dashboard[] }>('GET', '/api/dashboards')).dashboards.find((d) => d.name === 'Update compliance')!;
    const used = (await savedSearches()).find((s) => s.id === dashboard.tiles[0]!.savedSearchId)!;
    await page.getByRole('button', { name: `Delete ${used.name}`, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'was not deleted' });
    await refusal.waitFor();
    const users = refusal.getByRole('list', { name: 'Used by' });
    expect(await users.getByRole('link', { name: 'Update compliance' }).first().getAttribute('href')).toBe(`/dashboards/${dashboard.id}`);
    expect((await savedSearches()).some((s) => s.id === used.id)).toBe(true);
    await screenshot(page, 'saved-06-delete-refused');
    await narrowShot('saved-07-list-narrow');

    // The edit page: change the description, see its users, open it in log search.
    await page.getByRole('link', { name: 'LinuxMachines', exact: true }).click();
    await page.getByRole('heading', { name: 'LinuxMachines', level: 1 }).waitFor();
    await page.getByLabel('Description').fill('Machines whose heartbeat says Linux');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await savedSearches()).find((s) => s.name === 'LinuxMachines')!.description).toBe('Machines whose heartbeat says Linux');
    await page.getByText('Nothing uses it').waitFor();
    await screenshot(page, 'saved-08-edit');
    await page.getByRole('link', { name: 'Open in log search' }).click();
    await page.waitForURL(/\/search\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toContain('OSType == "Linux"');

    // An unused one is deleted.
    await page.goto(`${url}/saved`);
    await page.getByRole('button', { name: 'Delete LinuxMachines', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted “LinuxMachines”' }).waitFor();
    expect((await savedSearches()).some((s) => s.name === 'LinuxMachines')).toBe(false);
  });
});

const ALERT_QUERY = 'UpdateSummary\n| summarize arg_max(TimeGenerated, *) by Computer\n| where CriticalUpdatesMissing > 0 or SecurityUpdatesMissing > 0\n| project Computer, CriticalUpdatesMissing';

describe('alert rules', () => {
  it('creates a rule through the form, showing the server\'s refusal of a 30-second frequency at its field first', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alert rules' }).click();
    await page.getByText('No alert rules yet').waitFor();
    await page.getByRole('link', { name: 'New alert rule' }).click();
    await page.getByRole('heading', { name: 'New alert rule' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Machines missing critical updates');
    await page.getByLabel('Description').fill('One alert per machine');
    await page.getByLabel('Severity').selectOption({ label: '1 – Error' });
    await page.getByLabel('Query (KQL)').fill(ALERT_QUERY);
    await page.getByLabel('Frequency (every)').fill('30');
    await page.getByLabel('Frequency unit').selectOption('seconds');
    await page.getByLabel('Lookback (the time range the query sees)').fill('1');
    await page.getByLabel('Lookback unit').selectOption('days');
    await page.getByLabel(/^Dimensions/).fill('Computer');
    await page.getByLabel(/^Webhooks/).fill('http://127.0.0.1:9/upkeep-hook');
    await page.getByRole('button', { name: 'Create rule' }).click();

    const frequencyError = page.locator('#alert-frequency-error');
    await expect.poll(() => frequencyError.innerText()).toMatch(/frequency PT30S is outside 1 minute to 1 day/);
    expect(await page.getByLabel('Frequency (every)').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/not saved: one problem/);
    expect(await api<{ alertRules: AlertRule[] }>('GET', '/api/alert-rules')).toEqual({ alertRules: [] });
    await screenshot(page, 'alerts-01-form-refused');
    await page.getByRole('group', { name: 'Condition' }).evaluate((fieldset) => fieldset.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'alerts-01b-form-condition');
    await narrowShot('alerts-02-form-narrow');

    await page.getByLabel('Frequency (every)').fill('1');
    await page.getByLabel('Frequency unit').selectOption('minutes');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('heading', { name: 'Machines missing critical updates', level: 1 }).waitFor();
    const [rule] = (await api<{ alertRules: AlertRule[] }>('GET', '/api/alert-rules')).alertRules;
    expect(rule).toMatchObject({
      description: 'One alert per machine', query: ALERT_QUERY, frequency: 'PT1M', lookback: 'P1D', measure: { kind: 'rowCount' }, operator: '>', threshold: 0,
      failingPeriods: 1, evaluationPeriods: 1, dimensions: ['Computer'], severity: 1, autoResolveAfter: 1, enabled: true, actions: { webhooks: ['http://127.0.0.1:9/upkeep-hook'] },
    });
  });

  it('evaluates now (a dry run), then on schedule: instances, the list\'s firing count and AlertEvaluation records', async () => {
    const expected = await api<{ tables: { rows: [string][] }[] }>('POST', '/api/query', { query: `${ALERT_QUERY}\n| project Computer | order by Computer asc` });
    const machines = expected.tables[0]!.rows.map(([c]) => c);
    expect(machines.length).toBeGreaterThan(0);

    await page.getByText('No instances yet').waitFor();
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    const preview = page.getByRole('region', { name: /^Dry run/ });
    await preview.waitFor();
    expect(Number(await preview.getAttribute('data-instances'))).toBe(machines.length);
    expect(await preview.getByRole('row').filter({ hasText: 'Firing' }).count()).toBe(machines.length);
    expect(await preview.innerText()).toContain(`Computer = ${machines[0]}`);
    expect((await api<{ instances: AlertInstance[] }>('GET', `/api/alert-rules/${encodeURIComponent('Machines missing critical updates')}/instances`)).instances).toEqual([]);
    await screenshot(page, 'alerts-03-evaluate-now');

    // Two periods pass on the server's clock: the scheduler evaluates them.
    clock.advance(2 * MINUTE);
    await server.alerts.evaluator.tick();
    await server.alerts.evaluator.settled();
    // The rule's webhook (a closed port) failed: the evaluator said so in the server's log.
    expect(logLines.some((line) => /alert webhook http:\/\/127\.0\.0\.1:9\/upkeep-hook for rule Machines missing critical updates \(Firing\) failed/.test(line))).toBe(true);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const instances = page.getByRole('table', { name: 'Alert instances' });
    await expect.poll(() => instances.locator('tbody tr[data-state="Firing"]').count(), { timeout: 10_000 }).toBe(machines.length);
    await page.getByRole('region', { name: 'Instances' }).getByText(`${machines.length} Firing`).waitFor();
    const evaluations = page.getByRole('table', { name: 'Recent evaluations' });
    await expect.poll(() => evaluations.getByRole('row').filter({ hasText: 'Firing' }).count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(machines.length);
    const periodEnds = await evaluations.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Date.parse((r as HTMLElement).dataset.periodEnd ?? '')));
    expect(periodEnds).toEqual([...periodEnds].sort((a, b) => b - a)); // newest period first
    expect(new Set(periodEnds).size).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'alerts-04-detail');
    await evaluations.evaluate((table) => table.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'alerts-05-evaluations');
    await narrowShot('alerts-06-detail-narrow');

    const openLink = page.getByRole('region', { name: 'Recent evaluations' }).getByRole('link', { name: 'Open in log search' });
    expect(new URL(await openLink.getAttribute('href') ?? '', url).searchParams.get('q')).toMatch(/^AlertEvaluation\n\| where .*RuleId == "/);

    await page.getByRole('link', { name: 'Alert rules' }).first().click();
    const row = page.getByRole('table', { name: 'Alert rules' }).getByRole('row').filter({ hasText: 'Machines missing critical updates' });
    await expect.poll(() => row.locator('[data-firing]').getAttribute('data-firing')).toBe(String(machines.length));
    expect(await row.innerText()).toMatch(/1 minute/);
    await screenshot(page, 'alerts-07-list');
    await narrowShot('alerts-08-list-narrow');
  });

  it('edits the rule with its values filled in, and deletes it after confirming', async () => {
    await page.getByRole('link', { name: 'Machines missing critical updates' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit alert rule' }).waitFor();
    expect(await page.getByLabel('Frequency (every)').inputValue()).toBe('1');
    expect(await page.getByLabel('Lookback unit').inputValue()).toBe('days');
    expect(await page.getByLabel(/^Dimensions/).inputValue()).toBe('Computer');
    await page.getByLabel('Failing periods (M)').fill('3');
    await page.getByLabel('Evaluation periods (N)').fill('2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#alert-failingPeriods-error').innerText()).toMatch(/cannot exceed evaluationPeriods/);
    await page.getByLabel('Evaluation periods (N)').fill('5');
    // Evaluate a saved search instead of the query.
    await page.getByRole('radio', { name: 'A saved search' }).check();
    await page.getByLabel('Saved search', { exact: true }).selectOption({ label: 'Update compliance › MachinesMissingSecurityUpdates' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('3 of the last 5 periods fail').waitFor();
    const search = (await savedSearches()).find((s) => s.name === 'MachinesMissingSecurityUpdates')!;
    const [changed] = (await api<{ alertRules: AlertRule[] }>('GET', '/api/alert-rules')).alertRules;
    expect(changed).toMatchObject({ savedSearchId: search.id, failingPeriods: 3, evaluationPeriods: 5 });
    expect(changed!.query).toBeUndefined();
    await page.getByRole('link', { name: 'MachinesMissingSecurityUpdates' }).waitFor();
    await screenshot(page, 'alerts-09-saved-search-rule');

    // The saved search now has the rule among its users, linked to the rule's page.
    await page.getByRole('link', { name: 'MachinesMissingSecurityUpdates' }).click();
    await page.getByRole('heading', { name: 'MachinesMissingSecurityUpdates', level: 1 }).waitFor();
    const users = page.getByRole('list', { name: 'Used by' });
    expect(await users.getByRole('link', { name: 'Machines missing critical updates' }).getAttribute('href')).toBe(`/alerts/${changed!.id}`);
    await screenshot(page, 'saved-09-used-by-rule');
    await users.getByRole('link', { name: 'Machines missing critical updates' }).click();
    await page.getByRole('heading', { name: 'Machines missing critical updates', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Keep' }).click();
    expect((await api<{ alertRules: AlertRule[] }>('GET', '/api/alert-rules')).alertRules).toHaveLength(1);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No alert rules yet').waitFor();
    expect((await api<{ alertRules: AlertRule[] }>('GET', '/api/alert-rules')).alertRules).toEqual([]);
  });
});
