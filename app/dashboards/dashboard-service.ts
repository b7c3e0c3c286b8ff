/**
 * What the HTTP routes do with dashboards: validate and store them, resolve a tile to the query
 * it runs and the window it covers, run it, and issue, check and revoke embed tokens.
 *
 * Tiles name saved searches by id; the service registers itself as a usage source of the saved
 * searches, so deleting or renaming one a tile runs is refused with the tiles that use it.
 */
import type { SavedSearch, SavedSearchUser } from '../../contracts/saved.js';
import type { QueryRunner, RunOutcome } from '../../query/query-runner.js';
import { durationMs } from '../../contracts/timespan.js';
import type { Dashboard, DashboardProblem, EmbedTokenInfo, IssuedEmbedToken, Tile, TileView } from '../../contracts/dashboards.js';
import { DashboardStore, DuplicateDashboardNameError } from './dashboard-store.js';
import { embedTokenId, embedTokenMatches, newEmbedToken } from './embed-token.js';
import { timeRangeProblem, validateDashboard, type SavedSearchFinder } from './validate.js';

export type DashboardRefusal =
  | { status: 400; code: 'InvalidDashboard' | 'InvalidEmbedToken'; message: string; problems: DashboardProblem[] }
  | { status: 404; code: 'DashboardNotFound' | 'TileNotFound' | 'EmbedTokenNotFound' | 'SavedSearchNotFound'; message: string }
  | { status: 409; code: 'DashboardNameTaken'; message: string; problems: DashboardProblem[] };

export type DashboardOutcome<T> = { ok: true; value: T } | ({ ok: false } & DashboardRefusal);

export type EmbedCheck = { ok: true } | { ok: false; status: 401 | 403; code: string; message: string };

/** What the service needs of the saved searches. */
export interface SavedSearchSource {
  find(idOrName: string): SavedSearch | undefined;
}

export interface TileRun {
  view: TileView;
  outcome: RunOutcome;
}

export class DashboardService {
  private readonly findSavedSearch: SavedSearchFinder;

  constructor(
    readonly store: DashboardStore,
    private readonly savedSearches: SavedSearchSource,
    private readonly queries: Pick<QueryRunner, 'run'>,
    private readonly now: () => Date,
  ) {
    this.findSavedSearch = (idOrName) => savedSearches.find(idOrName);
  }

  list(): Dashboard[] {
    return this.store.list();
  }

  /** By id, or else by name. */
  get(idOrName: string): DashboardOutcome<Dashboard> {
    const found = this.store.get(idOrName) ?? this.store.getByName(idOrName);
    return found ? { ok: true, value: found } : dashboardNotFound(idOrName);
  }

  async create(body: unknown): Promise<DashboardOutcome<Dashboard>> {
    const validated = validateDashboard(body, this.findSavedSearch);
    if (!validated.ok) return invalid(validated.problems);
    const sentIds = validated.value.tiles.flatMap((t, i) => (t.id !== undefined ? [i] : []));
    if (sentIds.length > 0) return invalid(sentIds.map((i) => ({ field: `tiles[${i}].id`, message: 'A new dashboard has no tiles yet: leave id out, ids are given when it is stored.' })));
    return this.stored(() => this.store.create(validated.value, this.now()));
  }

  async replace(idOrName: string, body: unknown): Promise<DashboardOutcome<Dashboard>> {
    const current = this.get(idOrName);
    if (!current.ok) return current;
    const validated = validateDashboard(body, this.findSavedSearch);
    if (!validated.ok) return invalid(validated.problems);
    const own = new Set(current.value.tiles.map((t) => t.id));
    const foreign = validated.value.tiles.flatMap((t, i) => (t.id !== undefined && !own.has(t.id) ? [{ field: `tiles[${i}].id`, message: `"${t.id}" is not a tile of this dashboard; leave id out for a new tile.` }] : []));
    if (foreign.length > 0) return invalid(foreign);
    const id = current.value.id;
    return this.stored(async () => (await this.store.replace(id, validated.value, this.now())) ?? dashboardNotFound(idOrName));
  }

  async delete(idOrName: string): Promise<DashboardOutcome<Dashboard>> {
    const current = this.get(idOrName);
    if (!current.ok) return current;
    return (await this.store.delete(current.value.id)) ? current : dashboardNotFound(idOrName);
  }

  /** The tile `tileId` of dashboard `dashboardIdOrName` (or of any dashboard when undefined). */
  tile(tileId: string, dashboardIdOrName?: string): DashboardOutcome<{ dashboard: Dashboard; tile: Tile }> {
    if (dashboardIdOrName !== undefined) {
      const dashboard = this.get(dashboardIdOrName);
      if (!dashboard.ok) return dashboard;
      const tile = dashboard.value.tiles.find((t) => t.id === tileId);
      return tile ? { ok: true, value: { dashboard: dashboard.value, tile } } : tileNotFound(tileId, dashboard.value);
    }
    const found = this.store.tile(tileId);
    return found ? { ok: true, value: found } : tileNotFound(tileId);
  }

  /** Runs a tile's saved search over its time range ending now. */
  async runTile(tileId: string, dashboardIdOrName: string | undefined, signal?: AbortSignal): Promise<DashboardOutcome<TileRun>> {
    const found = this.tile(tileId, dashboardIdOrName);
    if (!found.ok) return found;
    const { dashboard, tile } = found.value;
    const search = this.savedSearches.find(tile.savedSearchId);
    if (!search) {
      return { ok: false, status: 404, code: 'SavedSearchNotFound', message: `The tile "${tile.title}" runs the saved search ${tile.savedSearchId}, which no longer exists; edit the dashboard "${dashboard.name}" to pick another.` };
    }
    const now = this.now();
    const rangeMs = durationMs(tile.timeRange)!;
    const window = { startMs: now.getTime() - rangeMs, endMs: now.getTime() };
    const view: TileView = {
      ...tile,
      dashboardId: dashboard.id,
      dashboardName: dashboard.name,
      savedSearchName: search.name,
      query: search.query,
      window: { start: new Date(window.startMs).toISOString(), end: now.toISOString() },
    };
    const outcome = await this.queries.run({ text: search.query, window, now, ...(signal ? { signal } : {}) });
    return { ok: true, value: { view, outcome } };
  }

  /** A new embed token for one tile; `body.expiresIn` (an ISO 8601 duration) bounds its life. */
  async issueEmbedToken(dashboardIdOrName: string, tileId: string, body: unknown): Promise<DashboardOutcome<IssuedEmbedToken>> {
    const found = this.tile(tileId, dashboardIdOrName);
    if (!found.ok) return found;
    const expiresIn = body === undefined || body === null ? undefined : (body as { expiresIn?: unknown }).expiresIn;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      return { ok: false, status: 400, code: 'InvalidEmbedToken', message: 'Send nothing, or a JSON object { "expiresIn": "P30D" }.', problems: [{ field: '', message: 'Send nothing, or { "expiresIn": "P30D" }.' }] };
    }
    const problem = expiresIn === undefined ? undefined : timeRangeProblem(expiresIn);
    if (problem) return { ok: false, status: 400, code: 'InvalidEmbedToken', message: `expiresIn: ${problem}`, problems: [{ field: 'expiresIn', message: problem }] };
    const now = this.now();
    const expiresAt = expiresIn === undefined ? null : new Date(now.getTime() + durationMs(String(expiresIn).trim())!);
    const { dashboard, tile } = found.value;
    const { text, stored } = newEmbedToken(dashboard.id, tile.id, now, expiresAt);
    await this.store.addEmbedToken(stored);
    return {
      ok: true,
      value: { token: text, tokenId: stored.id, dashboardId: dashboard.id, tileId: tile.id, createdAt: stored.createdAt, expiresAt: stored.expiresAt, embedPath: `/embed/tile/${tile.id}?token=${encodeURIComponent(text)}` },
    };
  }

  embedTokens(dashboardIdOrName: string, tileId: string): DashboardOutcome<EmbedTokenInfo[]> {
    const found = this.tile(tileId, dashboardIdOrName);
    if (!found.ok) return found;
    return { ok: true, value: this.store.embedTokensOf(tileId).map(({ id, tileId: tile, createdAt, expiresAt }) => ({ tokenId: id, tileId: tile, createdAt, expiresAt })) };
  }

  async revokeEmbedToken(dashboardIdOrName: string, tileId: string, tokenId: string): Promise<DashboardOutcome<true>> {
    const found = this.tile(tileId, dashboardIdOrName);
    if (!found.ok) return found;
    const token = this.store.embedToken(tokenId);
    if (!token || token.tileId !== tileId || !(await this.store.deleteEmbedToken(tokenId))) {
      return { ok: false, status: 404, code: 'EmbedTokenNotFound', message: `The tile has no embed token ${tokenId}; list them with GET /api/dashboards/${found.value.dashboard.id}/tiles/${tileId}/embed-tokens.` };
    }
    return { ok: true, value: true };
  }

  /** Whether `text` is a live embed token for `tileId`. */
  checkEmbedToken(text: string, tileId: string): EmbedCheck {
    const id = embedTokenId(text);
    const stored = id === undefined ? undefined : this.store.embedToken(id);
    if (!stored || !embedTokenMatches(text, stored)) {
      return { ok: false, status: 401, code: 'InvalidEmbedToken', message: 'The embed token is not valid (it may have been revoked, or its tile removed); ask for a new one with POST /api/dashboards/{id}/tiles/{tileId}/embed-token.' };
    }
    if (stored.expiresAt !== null && Date.parse(stored.expiresAt) <= this.now().getTime()) {
      return { ok: false, status: 401, code: 'EmbedTokenExpired', message: `The embed token expired at ${stored.expiresAt}; ask for a new one with POST /api/dashboards/${stored.dashboardId}/tiles/${stored.tileId}/embed-token.` };
    }
    if (stored.tileId !== tileId) return { ok: false, status: 403, code: 'Forbidden', message: 'This embed token is for another tile: an embed token shows only the tile it was made for.' };
    return { ok: true };
  }

  /** The tiles that run `search`: the saved searches' usage source. */
  usersOf(search: SavedSearch): SavedSearchUser[] {
    return this.store.list().flatMap((dashboard) =>
      dashboard.tiles.flatMap((tile, i) => (tile.savedSearchId === search.id ? [{ kind: 'dashboard', name: dashboard.name, id: dashboard.id, field: `tiles[${i}] "${tile.title}"` }] : [])),
    );
  }

  private async stored(write: () => Promise<Dashboard | DashboardOutcome<Dashboard>>): Promise<DashboardOutcome<Dashboard>> {
    try {
      const result = await write();
      return 'ok' in result ? result : { ok: true, value: result };
    } catch (error) {
      if (error instanceof DuplicateDashboardNameError) return { ok: false, status: 409, code: 'DashboardNameTaken', message: error.message, problems: [{ field: 'name', message: error.message }] };
      throw error;
    }
  }
}

function dashboardNotFound(idOrName: string): { ok: false } & DashboardRefusal {
  return { ok: false, status: 404, code: 'DashboardNotFound', message: `There is no dashboard with the id or name "${idOrName}": list them with GET /api/dashboards.` };
}

function tileNotFound(tileId: string, dashboard?: Dashboard): { ok: false } & DashboardRefusal {
  const where = dashboard ? `the dashboard "${dashboard.name}"` : 'any dashboard';
  return { ok: false, status: 404, code: 'TileNotFound', message: `There is no tile ${tileId} on ${where}; the tile ids are in GET /api/dashboards/{id}.` };
}

function invalid(problems: DashboardProblem[]): { ok: false } & DashboardRefusal {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return { ok: false, status: 400, code: 'InvalidDashboard', message: `The dashboard has ${count}: ${problems.map((p) => `${p.field || '(body)'}: ${p.message}`).join(' ')}`, problems };
}
