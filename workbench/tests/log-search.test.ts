/**
 * The log-search page in headless chromium against a real `upkeep serve` over a sample fleet:
 * sign-in, completion, running with Shift+Enter, diagnostics as markers, cancel, URL state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { editorReady, ensureBuilt, launchBrowser, screenshot, setQuery, signIn, startSampleServer, type SampleServer } from './harness.js';

let server: SampleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const buildMs = await ensureBuilt();
  if (buildMs > 0) console.log(`vite build: ${Math.round(buildMs)} ms`);
  [server, browser] = await Promise.all([startSampleServer(), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const editorText = () => page.locator('.monaco-editor .view-lines').innerText().then((t) => t.replace(/\u00a0/g, ' '));
const results = () => page.getByRole('region', { name: 'Query results', exact: true });

describe('log search in a real browser', () => {
  it('refuses a wrong token, then signs in with the admin token', async () => {
    await page.goto(`${server.url}/search`);
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/refused/);
    await screenshot(page, '01-sign-in-refused');
    await signIn(page, server.url, server.adminToken);
    expect(await page.evaluate(() => localStorage.getItem('upkeep.token'))).toBe(server.adminToken);
    await editorReady(page);
  });

  it('completes a column after where (accepting with Enter), runs with Shift+Enter and shows rows', async () => {
    await setQuery(page, 'Heartbeat\n| where ');
    await page.keyboard.type('Comp', { delay: 30 });
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'Computer' }).first();
    await suggestion.waitFor({ timeout: 10_000 });
    await screenshot(page, '02-completion');
    await page.keyboard.press('Enter');
    await expect.poll(editorText).toMatch(/\| where Computer/);
    await page.keyboard.insertText(' == "ContosoVM1.contoso.com"\n| take 7');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Completed' }).innerText(), { timeout: 15_000 }).toMatch(/7 rows/);
    await expect.poll(() => results().innerText()).toContain('ContosoVM1.contoso.com');
    await screenshot(page, '03-results');
  });

  it('offers the columns a summarize created', async () => {
    await setQuery(page, 'Update | summarize Machines = dcount(Computer) by Classification\n| project ');
    await page.keyboard.type('Mach', { delay: 30 });
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'Machines' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
  });

  it('marks a syntax error and an unknown column with the CLI codes while typing', async () => {
    await setQuery(page, 'Heartbeat\n| where (Computer == "a"');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByRole('list', { name: 'Problems' }).innerText()).toMatch(/E101 2:\d+/);
    await screenshot(page, '04-syntax-error');
    await setQuery(page, 'Heartbeat | where Computr == "a"');
    await expect.poll(() => page.getByRole('list', { name: 'Problems' }).innerText()).toMatch(/^E202 1:19 .*Computer/);
  });

  it('shows a running state with elapsed time and cancels a long query', async () => {
    await setQuery(page, 'range i from 1 to 50000000000 step 1\n| summarize sum(i)');
    await page.keyboard.press('Shift+Enter');
    await page.getByText(/Running… \d/).waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, '05-running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/Cancelled after/).waitFor({ timeout: 5_000 });
    // The server is free again: the next query runs at once.
    await setQuery(page, 'print x = 1');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Completed' }).innerText(), { timeout: 10_000 }).toMatch(/1 rows?/);
  });

  it('keeps the query and the time range in the URL; the link reproduces the search', async () => {
    await page.getByLabel('Time range').selectOption('7d');
    await setQuery(page, 'Heartbeat\n| summarize Beats = count() by Computer\n| sort by Computer asc');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Completed' }).innerText(), { timeout: 15_000 }).toMatch(/\d+ rows/);
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('Heartbeat\n| summarize Beats = count() by Computer\n| sort by Computer asc');
    expect(url.searchParams.get('t')).toBe('7d');
    const second = await context.newPage();
    await second.goto(url.href);
    await expect.poll(() => second.getByRole('region', { name: 'Query results', exact: true }).innerText(), { timeout: 15_000 }).toContain('Beats');
    expect(await second.getByLabel('Time range').inputValue()).toBe('7d');
    await second.close();
  });

  it('says the time range is set in the query when it filters on TimeGenerated, and shows the SQL', async () => {
    await setQuery(page, 'Heartbeat | where TimeGenerated > ago(1h) | count');
    await page.getByText('The query filters on TimeGenerated itself').waitFor();
    expect(await page.getByLabel('Time range').inputValue()).toBe('Set in query');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Completed' }).innerText(), { timeout: 10_000 }).toMatch(/1 rows?/);
    await page.getByRole('button', { name: 'Show SQL' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Generated SQL' }).innerText()).toMatch(/SELECT/);
    await screenshot(page, '06-sql');
  });

  it('inserts from the schema tree and opens samples', async () => {
    await setQuery(page, '');
    await page.getByRole('tab', { name: 'Schema' }).click();
    await page.getByText('UpdateSummary', { exact: true }).click();
    await page.getByRole('button', { name: 'Insert table name' }).click();
    await expect.poll(editorText).toContain('UpdateSummary');
    await page.getByRole('tab', { name: 'Samples' }).click();
    await page.getByRole('button', { name: /required updates/i }).first().click();
    await expect.poll(editorText).toContain('UpdateState == "Needed"');
  });

  it('works in a narrow window', async () => {
    await page.setViewportSize({ width: 600, height: 900 });
    await expect.poll(() => page.getByRole('button', { name: 'Run', exact: true }).isVisible()).toBe(true);
    await screenshot(page, '07-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('goes back to sign-in when the stored token is refused', async () => {
    await page.evaluate(() => localStorage.setItem('upkeep.token', 'revoked'));
    await page.reload();
    await page.getByLabel('Access token').waitFor({ timeout: 10_000 });
    expect(await page.getByText('Your token was refused; sign in again.').isVisible()).toBe(true);
  });
});
