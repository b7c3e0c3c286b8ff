/**
 * Dashboards over a real server on 127.0.0.1 and a real DuckDB file: the default dashboard,
 * validation, roles, tile results over their time range, embed tokens (scoped to one tile,
 * refused everywhere else, revocable, expiring, hashed at rest, surviving a restart) and the
 * saved-search delete guard.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { heartbeat, startTestServer, type TestServer } from '../../server/test-server.js';
import { createToken } from '../workspace/workspace-file.js';
import type { Dashboard, IssuedEmbedToken, TileInput } from '../../contracts/dashboards.js';

let t: TestServer;
/** Moved forward to expire tokens. */
let clockOffsetMs = 0;
let reader: string;
let restarted: RunningServer | undefined;

beforeAll(async () => {
  t = await startTestServer({ now: () => new Date(Date.now() + clockOffsetMs) });
  reader = createToken(t.dbPath, 'reader');
}, 60_000);

afterAll(async () => {
  await restarted?.close();
  await t?.close();
});

async function call(method: string, path: string, body?: unknown, token: string | null = t.adminToken, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: (response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined) as Record<string, any> };
}

async function savedSearch(name: string, query: string): Promise<string> {
  const created = await call('POST', '/api/saved-searches', { name, category: 'Test', description: '', query });
  expect(created.status, created.text).toBe(201);
  return created.json.id as string;
}

const tile = (savedSearchId: string, place: Partial<TileInput> = {}): Partial<TileInput> => ({ title: 'Tile', savedSearchId, visualization: 'auto', timeRange: 'PT1H', refreshSeconds: 60, x: 0, y: 0, w: 6, h: 4, ...place });

describe('the default dashboard', () => {
  it('is created on the first start with the saved searches it runs, and every tile runs', async () => {
    const { json } = await call('GET', '/api/dashboards', undefined, reader);
    const dashboard = (json.dashboards as Dashboard[]).find((d) => d.name === 'Update compliance')!;
    expect(dashboard.tiles.map((x) => x.title)).toContain('Machines by compliance');
    expect(dashboard.tiles.length).toBeGreaterThanOrEqual(6);
    const searches = (await call('GET', '/api/saved-searches')).json.savedSearches as { id: string; name: string }[];
    for (const x of dashboard.tiles) expect(searches.some((s) => s.id === x.savedSearchId)).toBe(true);
    for (const x of dashboard.tiles) {
      const result = await call('GET', `/api/dashboards/${dashboard.id}/tiles/${x.id}/result`, undefined, reader);
      expect(result.status, `${x.title}: ${result.text}`).toBe(200);
    }
  });
});

describe('validation', () => {
  it('names every problem at its field with what to send', async () => {
    const id = await savedSearch('ValidationSource', 'Heartbeat | count');
    const { status, json } = await call('POST', '/api/dashboards', {
      name: 'Broken',
      tiles: [
        tile('NoSuchSearch'),
        tile(id, { timeRange: '1 day', y: 10 }),
        tile(id, { refreshSeconds: 10, y: 20 }),
        tile(id, { x: 8, w: 6, y: 30 }),
        tile(id, { visualization: 'donut', y: 40 }),
        tile(id, { visualization: 'card', y: 50 }),
      ],
    });
    expect(status).toBe(400);
    expect(json.error.code).toBe('InvalidDashboard');
    const problems = json.error.problems as { field: string; message: string }[];
    const at = (field: string) => problems.find((p) => p.field === field)?.message;
    expect(at('tiles[0].savedSearchId')).toMatch(/no saved search with the id or name "NoSuchSearch"/);
    expect(at('tiles[1].timeRange')).toMatch(/not an ISO 8601 duration/);
    expect(at('tiles[2].refreshSeconds')).toMatch(/at most every 30 s/);
    expect(at('tiles[3].w')).toMatch(/reaches past the grid's 12 columns/);
    const allowed = 'auto, table, timechart, linechart, areachart, stackedareachart, columnchart, barchart, piechart, scatterchart';
    expect(at('tiles[4].visualization')).toBe(`"donut" is not a visualization; use one of ${allowed} (auto follows the query's render).`);
    // a kind render knows but a tile does not show: why, and what to pick instead
    expect(at('tiles[5].visualization')).toMatch(/^"card" cannot be a tile's visualization: .*a card is not drawn yet.*one of auto, table, timechart/);
  });

  it('refuses overlapping tiles and a taken name', async () => {
    const id = await savedSearch('OverlapSource', 'Heartbeat | count');
    const overlap = await call('POST', '/api/dashboards', { name: 'Overlap', tiles: [tile(id, { title: 'A' }), tile(id, { title: 'B', x: 3, y: 2 })] });
    expect(overlap.status).toBe(400);
    expect(overlap.json.error.problems[0]).toMatchObject({ field: 'tiles[1]' });
    expect(overlap.json.error.problems[0].message).toMatch(/"B" .* overlaps tiles\[0\] "A"/);
    const taken = await call('POST', '/api/dashboards', { name: 'update COMPLIANCE', tiles: [] });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('DashboardNameTaken');
  });
});

describe('roles', () => {
  it('lets readers read and run tiles, operators and admins change; refuses without a token', async () => {
    expect((await call('GET', '/api/dashboards', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/dashboards', undefined, reader)).status).toBe(200);
    expect((await call('POST', '/api/dashboards', { name: 'By reader' }, reader)).status).toBe(403);
    const operator = createToken(t.dbPath, 'operator');
    const created = await call('POST', '/api/dashboards', { name: 'By operator' }, operator);
    expect(created.status).toBe(201);
    expect((await call('DELETE', `/api/dashboards/${created.json.id}`, undefined, reader)).status).toBe(403);
    expect((await call('DELETE', `/api/dashboards/${created.json.id}`, undefined, operator)).status).toBe(204);
    expect((await call('GET', `/api/dashboards/${created.json.id}`)).status).toBe(404);
    expect((await call('GET', '/api/dashboards', undefined, createToken(t.dbPath, 'ingest'))).status).toBe(403);
  });
});

describe('tiles and embed tokens', () => {
  let dashboard: Dashboard;
  let embed: IssuedEmbedToken;
  let searchId: string;

  beforeAll(async () => {
    const now = Date.now();
    const old = new Date(now - 3 * 3_600_000).toISOString();
    const response = await t.postLogs('Heartbeat', [heartbeat('web-1'), heartbeat('web-1'), heartbeat('db-1'), heartbeat('old-1', { TimeGenerated: old })]);
    expect(response.status).toBe(200);
    // Acknowledged rows become queryable once committed.
    for (let i = 0; i < 100 && (await t.count('Heartbeat')) < 4; i++) await new Promise((r) => setTimeout(r, 100));
    searchId = await savedSearch('HeartbeatsByComputer', 'Heartbeat | summarize Beats = count() by Computer | sort by Computer asc | render columnchart');
    const created = await call('POST', '/api/dashboards', { name: 'Fleet', description: 'test', tiles: [tile(searchId, { title: 'Last hour' }), tile(searchId, { title: 'Last day', timeRange: 'P1D', x: 6, visualization: 'piechart' })] });
    expect(created.status, created.text).toBe(201);
    dashboard = created.json as Dashboard;
  });

  it('runs a tile over its own time range ending now, in JSON or Arrow', async () => {
    const [hour, day] = dashboard.tiles;
    const json = await call('GET', `/api/dashboards/${dashboard.id}/tiles/${hour!.id}/result`, undefined, reader);
    expect(json.status).toBe(200);
    expect(json.json.tables[0].rows).toEqual([['db-1', 1], ['web-1', 2]]);
    expect(json.json.render).toEqual({ visualization: 'columnchart', properties: {} });
    expect(json.json.tile).toMatchObject({ id: hour!.id, dashboardName: 'Fleet', savedSearchName: 'HeartbeatsByComputer', timeRange: 'PT1H' });
    const dayRows = (await call('GET', `/api/dashboards/${dashboard.id}/tiles/${day!.id}/result`)).json.tables[0].rows;
    expect(dayRows).toEqual([['db-1', 1], ['old-1', 1], ['web-1', 2]]);
    const arrow = await call('GET', `/api/dashboards/${dashboard.id}/tiles/${day!.id}/result`, undefined, reader, { accept: 'application/vnd.apache.arrow.stream' });
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect(JSON.parse(decodeURIComponent(arrow.headers.get('x-upkeep-tile')!))).toMatchObject({ id: day!.id, visualization: 'piechart' });
    expect((await call('GET', `/api/dashboards/${dashboard.id}/tiles/nope/result`)).json.error.code).toBe('TileNotFound');
  });

  it('issues an embed token that shows its tile and nothing else', async () => {
    const [hour, day] = dashboard.tiles;
    expect((await call('POST', `/api/dashboards/${dashboard.id}/tiles/${hour!.id}/embed-token`, {}, reader)).status).toBe(403);
    const issued = await call('POST', `/api/dashboards/${dashboard.id}/tiles/${hour!.id}/embed-token`, {});
    expect(issued.status, issued.text).toBe(201);
    embed = issued.json as IssuedEmbedToken;
    expect(embed.token).toMatch(/^upe_/);
    expect(embed.embedPath).toBe(`/embed/tile/${hour!.id}?token=${encodeURIComponent(embed.token)}`);

    const byQuery = await call('GET', `/api/embed/tiles/${hour!.id}?token=${encodeURIComponent(embed.token)}`, undefined, null);
    expect(byQuery.status).toBe(200);
    expect(byQuery.json.tables[0].rows).toEqual([['db-1', 1], ['web-1', 2]]);
    expect((await call('GET', `/api/embed/tiles/${hour!.id}`, undefined, embed.token)).status).toBe(200);

    const other = await call('GET', `/api/embed/tiles/${day!.id}`, undefined, embed.token);
    expect(other.status).toBe(403);
    expect(other.json.error.message).toMatch(/for another tile/);
    const none = await call('GET', `/api/embed/tiles/${hour!.id}`, undefined, null);
    expect(none.status).toBe(401);
    expect(none.json.error.message).toMatch(/needs its embed token/);
    // Everything else refuses it as an unknown token.
    const query = await call('POST', '/api/query', { query: 'Heartbeat | count' }, embed.token);
    expect(query.status).toBe(401);
    expect((await call('GET', `/api/dashboards/${dashboard.id}`, undefined, embed.token)).status).toBe(401);
    expect((await call('GET', `/api/dashboards/${dashboard.id}/tiles/${hour!.id}/result`, undefined, embed.token)).status).toBe(401);
    expect((await call('GET', '/api/saved-searches', undefined, embed.token)).status).toBe(401);
    // A workspace token in the URL is refused (it would end up in logs); in the header it works.
    expect((await call('GET', `/api/embed/tiles/${hour!.id}?token=${reader}`, undefined, null)).status).toBe(401);
    expect((await call('GET', `/api/embed/tiles/${hour!.id}`, undefined, reader)).status).toBe(200);
  });

  it('stores only a hash, survives a restart, and stops working when revoked or expired', async () => {
    const hour = dashboard.tiles[0]!;
    const expiring = (await call('POST', `/api/dashboards/${dashboard.id}/tiles/${hour.id}/embed-token`, { expiresIn: 'PT10M' })).json as IssuedEmbedToken;
    expect(Date.parse(expiring.expiresAt!) - Date.parse(expiring.createdAt)).toBe(600_000);
    expect((await call('POST', `/api/dashboards/${dashboard.id}/tiles/${hour.id}/embed-token`, { expiresIn: 'soon' })).json.error.code).toBe('InvalidEmbedToken');

    await t.server.close();
    const secret = embed.token.split('_')[2]!;
    expect(readFileSync(t.dbPath).includes(Buffer.from(secret))).toBe(false);
    restarted = await startServer({ dbPath: t.dbPath, port: 0, now: () => new Date(Date.now() + clockOffsetMs) });
    t.server = restarted;
    t.url = restarted.url;
    expect((await call('GET', `/api/embed/tiles/${hour.id}`, undefined, embed.token)).status).toBe(200);
    expect((await call('GET', '/api/dashboards')).json.dashboards.filter((d: Dashboard) => d.name === 'Update compliance')).toHaveLength(1);

    clockOffsetMs = 11 * 60_000;
    const expired = await call('GET', `/api/embed/tiles/${hour.id}`, undefined, expiring.token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('EmbedTokenExpired');
    clockOffsetMs = 0;

    const listed = (await call('GET', `/api/dashboards/${dashboard.id}/tiles/${hour.id}/embed-tokens`, undefined, reader)).json.embedTokens as { tokenId: string }[];
    expect(listed.map((x) => x.tokenId)).toEqual([embed.tokenId, expiring.tokenId]);
    expect((await call('DELETE', `/api/dashboards/${dashboard.id}/tiles/${hour.id}/embed-tokens/${embed.tokenId}`)).status).toBe(204);
    expect((await call('GET', `/api/embed/tiles/${hour.id}`, undefined, embed.token)).json.error.code).toBe('InvalidEmbedToken');
  });

  it('refuses deleting a saved search a tile runs, and drops the tokens of a removed tile', async () => {
    const refused = await call('DELETE', `/api/saved-searches/${searchId}`);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/dashboard "Fleet"/);
    expect(refused.json.error.users).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'dashboard', id: dashboard.id })]));

    const [hour, day] = dashboard.tiles;
    const kept = await call('POST', `/api/dashboards/${dashboard.id}/tiles/${day!.id}/embed-token`);
    const dropped = await call('POST', `/api/dashboards/${dashboard.id}/tiles/${hour!.id}/embed-token`);
    const other = await savedSearch('BeatsTotal', 'Heartbeat | count');
    const { id: _id, ...dayInput } = day!;
    const foreign = await call('PUT', `/api/dashboards/${dashboard.id}`, { name: 'Fleet', tiles: [{ ...dayInput, id: 'not-mine' }] });
    expect(foreign.json.error.problems[0]).toMatchObject({ field: 'tiles[0].id' });
    const replaced = await call('PUT', `/api/dashboards/${dashboard.id}`, { name: 'Fleet', tiles: [day!, tile(other, { title: 'Total', y: 4 })] });
    expect(replaced.status, replaced.text).toBe(200);
    expect((replaced.json as Dashboard).tiles[0]!.id).toBe(day!.id);
    expect((await call('GET', `/api/embed/tiles/${day!.id}`, undefined, kept.json.token)).status).toBe(200);
    expect((await call('GET', `/api/embed/tiles/${hour!.id}`, undefined, dropped.json.token)).status).toBe(401);

    // Still used by the "Last day" tile; once that is gone too, the delete goes through.
    expect((await call('DELETE', `/api/saved-searches/${searchId}`)).status).toBe(409);
    await call('PUT', `/api/dashboards/${dashboard.id}`, { name: 'Fleet', tiles: [tile(other, { title: 'Total' })] });
    expect((await call('DELETE', `/api/saved-searches/${searchId}`)).status).toBe(204);
  });
});
