/**
 * Dashboards in headless chromium against a real `upkeep serve` over a sample fleet: the default
 * "Update compliance" dashboard draws every tile (charts with series), a tile opens log search,
 * the edit mode adds a tile (the server's overlap refusal shown first) and removes one, and the
 * embed page shows one tile with its token, and a clear error without one. The auto-refresh's
 * pause while the tab is hidden is checked in Node with a stand-in document and fake timers.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Dashboard, IssuedEmbedToken } from '../../contracts/dashboards.js';
import { autoRefresh } from '../src/embed/auto-refresh.js';
import { ensureBuilt, launchBrowser, screenshot, signIn, startSampleServer, type SampleServer } from './harness.js';

let server: SampleServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dashboard: Dashboard;

beforeAll(async () => {
  const buildMs = await ensureBuilt();
  if (buildMs > 0) console.log(`vite build: ${Math.round(buildMs)} ms`);
  [server, browser] = await Promise.all([startSampleServer(), launchBrowser()]);
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  const list = (await api<{ dashboards: Dashboard[] }>('GET', '/api/dashboards')).dashboards;
  dashboard = list.find((d) => d.name === 'Update compliance')!;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const tileState = (p: Page, title: string) => p.getByRole('article', { name: title, exact: true }).getAttribute('data-state');

describe('the default dashboard', () => {
  it('draws every tile: charts with series, tables with rows', async () => {
    await signIn(page, server.url, server.adminToken, '/dashboards');
    await page.getByRole('link', { name: 'Update compliance' }).click();
    await page.getByRole('heading', { name: 'Update compliance', level: 1 }).waitFor();
    for (const tile of dashboard.tiles) await expect.poll(() => tileState(page, tile.title), { timeout: 20_000 }).toBe('loaded');
    const charts = dashboard.tiles.filter((t) => t.visualization !== 'table');
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const tile of charts) {
      const chart = page.getByRole('article', { name: tile.title, exact: true }).locator('[data-series-count]');
      await expect.poll(async () => Number(await chart.getAttribute('data-series-count', { timeout: 10_000 })), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    const types = await page.locator('[data-chart-types]').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.chartTypes));
    expect(new Set(types)).toEqual(new Set(['pie', 'bar', 'line']));
    const table = page.getByRole('article', { name: 'Machines missing security updates' });
    expect(await table.getByRole('row').count()).toBeGreaterThan(1);
    await page.waitForTimeout(500); // chart animations
    await screenshot(page, 'dashboards-01-update-compliance');
  });

  it('opens a tile in log search with its query and time range', async () => {
    await page.getByRole('article', { name: 'Machines by compliance' }).getByRole('link', { name: 'Machines by compliance' }).click();
    await page.waitForURL(/\/search\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toContain('summarize Machines = count() by Compliance');
    expect(url.searchParams.get('t')).toBe('48h');
    await page.goBack();
    await page.getByRole('heading', { name: 'Update compliance', level: 1 }).waitFor();
    await page.setViewportSize({ width: 600, height: 900 });
    await expect.poll(() => tileState(page, 'Machines by compliance'), { timeout: 20_000 }).toBe('loaded');
    const narrow = await page.getByRole('article', { name: 'Machines by compliance' }).boundingBox();
    expect(narrow!.width).toBeGreaterThan(500); // one column
    await page.waitForTimeout(500);
    await screenshot(page, 'dashboards-06-narrow');
    await page.setViewportSize({ width: 1400, height: 1000 });
  });
});

describe('editing', () => {
  it('adds a tile (showing the server\'s refusal of an overlap first) and removes one', async () => {
    const created = await api<Dashboard>('POST', '/api/dashboards', { name: 'Scratch board', tiles: [] });
    await page.goto(`${server.url}/dashboards/${created.id}`);
    await page.getByText('This dashboard has no tiles yet').waitFor();
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByRole('button', { name: 'Add tile' }).click();
    const form = page.getByRole('form', { name: 'New tile' });
    await form.getByLabel('Saved search').selectOption({ label: 'Update compliance › MachinesReportingOverTime' });
    await form.getByLabel('Refresh').selectOption({ label: '1 minute' });
    await form.getByRole('button', { name: 'Add tile' }).click();
    await page.getByRole('button', { name: 'Add tile' }).click();
    const second = page.getByRole('form', { name: 'New tile' });
    await second.getByLabel('Saved search').selectOption({ label: 'Update compliance › UpdateRunOutcomes' });
    await second.getByLabel('Shown as').selectOption('columnchart');
    await second.getByRole('spinbutton', { name: 'Column' }).fill('3'); // overlaps the first tile (columns 1–6)
    await second.getByRole('button', { name: 'Add tile' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/overlaps tiles\[0\] "MachinesReportingOverTime"/).waitFor();
    await screenshot(page, 'dashboards-02-edit-refused');

    await page.getByRole('article', { name: 'UpdateRunOutcomes' }).getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('form', { name: 'Tile UpdateRunOutcomes' }).getByRole('spinbutton', { name: 'Column' }).fill('7');
    await page.getByRole('form', { name: 'Tile UpdateRunOutcomes' }).getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => tileState(page, 'UpdateRunOutcomes'), { timeout: 20_000 }).toBe('loaded');
    await expect.poll(() => tileState(page, 'MachinesReportingOverTime'), { timeout: 20_000 }).toBe('loaded');
    const bars = page.getByRole('article', { name: 'UpdateRunOutcomes' }).locator('[data-chart-types]');
    await expect.poll(() => bars.getAttribute('data-chart-types')).toBe('bar');
    const stored = await api<Dashboard>('GET', `/api/dashboards/${created.id}`);
    expect(stored.tiles.map((t) => [t.title, t.x, t.refreshSeconds, t.visualization])).toEqual([
      ['MachinesReportingOverTime', 0, 60, 'auto'],
      ['UpdateRunOutcomes', 6, 300, 'columnchart'],
    ]);
    await screenshot(page, 'dashboards-03-edited');

    // The embed link from the edit mode opens the tile alone.
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByRole('article', { name: 'UpdateRunOutcomes' }).getByRole('button', { name: 'Embed' }).click();
    const embedUrl = page.getByLabel('Embed URL');
    await expect.poll(() => embedUrl.inputValue(), { timeout: 10_000 }).toMatch(/\/embed\/tile\/[0-9a-f-]+\?token=upe_/);
    await screenshot(page, 'dashboards-07-embed-link');
    const viewer = await browser.newContext();
    const iframeLike = await viewer.newPage();
    await iframeLike.goto(await embedUrl.inputValue());
    await iframeLike.locator('.embed[data-state="loaded"]').waitFor({ timeout: 20_000 });
    await viewer.close();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByRole('article', { name: 'MachinesReportingOverTime' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => tileState(page, 'UpdateRunOutcomes'), { timeout: 20_000 }).toBe('loaded');
    expect((await api<Dashboard>('GET', `/api/dashboards/${created.id}`)).tiles.map((t) => t.title)).toEqual(['UpdateRunOutcomes']);
  });
});

describe('the embed page', () => {
  it('renders one tile with its token, without the workbench around it', async () => {
    const tile = dashboard.tiles.find((t) => t.title === 'Machines reporting (heartbeats per hour)')!;
    const issued = await api<IssuedEmbedToken>('POST', `/api/dashboards/${dashboard.id}/tiles/${tile.id}/embed-token`, {});
    // A fresh context: no signed-in token in localStorage, as in a third-party page's iframe.
    const embedContext = await browser.newContext({ viewport: { width: 640, height: 360 } });
    const embed = await embedContext.newPage();
    await embed.goto(`${server.url}${issued.embedPath}`);
    await embed.locator('.embed[data-state="loaded"]').waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await embed.locator('[data-series-count]').getAttribute('data-series-count')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await embed.getByRole('heading', { name: tile.title }).isVisible()).toBe(true);
    expect(await embed.getByRole('navigation').count()).toBe(0);
    expect(await embed.getByLabel('Access token').count()).toBe(0);
    await embed.waitForTimeout(500);
    await screenshot(embed, 'dashboards-04-embed');

    await embed.goto(`${server.url}/embed/tile/${tile.id}`);
    const missing = embed.getByRole('alert');
    await missing.waitFor();
    expect(await missing.innerText()).toMatch(/needs its embed token/);
    await screenshot(embed, 'dashboards-05-embed-no-token');

    const other = dashboard.tiles.find((t) => t.id !== tile.id)!;
    await embed.goto(`${server.url}/embed/tile/${other.id}?token=${encodeURIComponent(issued.token)}`);
    await embed.getByRole('alert').waitFor();
    expect(await embed.getByRole('alert').innerText()).toMatch(/for another tile/);
    await embedContext.close();
  });
});

describe('auto-refresh', () => {
  it('stops while the tab is hidden and catches up when it is shown again', () => {
    vi.useFakeTimers();
    try {
      const doc = Object.assign(new EventTarget(), { hidden: false }) as unknown as Document & { hidden: boolean };
      let runs = 0;
      const stop = autoRefresh(30_000, () => runs++, doc);
      vi.advanceTimersByTime(60_000);
      expect(runs).toBe(2);
      doc.hidden = true;
      doc.dispatchEvent(new Event('visibilitychange'));
      vi.advanceTimersByTime(120_000);
      expect(runs).toBe(2);
      doc.hidden = false;
      doc.dispatchEvent(new Event('visibilitychange'));
      expect(runs).toBe(3); // overdue: at once
      vi.advanceTimersByTime(30_000);
      expect(runs).toBe(4);
      stop();
      vi.advanceTimersByTime(120_000);
      expect(runs).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
