/**
 * A reader signed in to the workbench (headless chromium, real server): pages load, and an action
 * that needs the operator role is refused with a message that says so, on the page where it was
 * tried, without signing the reader out.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test-server.js';
import { createToken } from '../../app/workspace/workspace-file.js';
import { ensureBuilt, launchBrowser, signIn } from '../../workbench/tests/harness.js';

let t: TestServer;
let browser: Browser;
let page: Page;
let reader: string;
let ruleId: string;

const needsOperator = /A reader token cannot do this: it needs the operator role \(allowed: operator, admin\)\. Ask an admin for an operator token/;

beforeAll(async () => {
  await ensureBuilt();
  [t, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  reader = createToken(t.dbPath, 'reader');
  const rule = { name: 'Reader check', query: 'Heartbeat | summarize count() by Computer', frequency: 'PT5M', lookback: 'PT5M', measure: { kind: 'rowCount' }, operator: '>', threshold: 0, failingPeriods: 1, evaluationPeriods: 1, dimensions: [], severity: 3, autoResolveAfter: 1, muteFor: 'PT0S', enabled: false, actions: { webhooks: [] } };
  const created = await fetch(`${t.url}/api/alert-rules`, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  expect(created.status).toBe(201);
  ruleId = ((await created.json()) as { id: string }).id;
  page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a reader in the workbench', () => {
  it('sees the dashboards and is told a new dashboard needs the operator role', async () => {
    await signIn(page, t.url, reader, '/dashboards');
    await page.getByRole('link', { name: 'Update compliance' }).waitFor();
    await page.getByLabel('New dashboard').fill('Mine');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(needsOperator);
    // Still signed in: the refusal is not mistaken for a bad token.
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
  });

  it('sees an alert rule and is told "Evaluate now" needs the operator role', async () => {
    await page.goto(`${t.url}/alerts/${ruleId}`);
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 }).toMatch(needsOperator);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
  });
});
