/**
 * Dashboards: a named grid of tiles. A tile runs one saved search (by id) over a time range
 * ending now, draws it as the query's own `render` or a chosen visualization, and refreshes
 * itself every `refreshSeconds` (0: never). The grid has 12 columns; tiles may not overlap.
 *
 * HTTP API (bearer: reader to read, operator/admin to change):
 *   GET    /api/dashboards                        → { dashboards: Dashboard[] }  (by name)
 *   POST   /api/dashboards  DashboardInput        → 201 Dashboard | 400 InvalidDashboard { problems } | 409 DashboardNameTaken
 *   GET    /api/dashboards/{id}                   → Dashboard | 404 DashboardNotFound
 *   PUT    /api/dashboards/{id}  DashboardInput   → Dashboard | 400 | 404 | 409   (a tile keeps its id, and its embed tokens, when sent with it)
 *   DELETE /api/dashboards/{id}                   → 204 | 404
 *   GET    /api/dashboards/{id}/tiles/{tileId}/result          → TileResult (JSON, or Arrow with the tile in x-upkeep-tile)
 *   POST   /api/dashboards/{id}/tiles/{tileId}/embed-token  { expiresIn?: "P30D" } → 201 IssuedEmbedToken
 *   GET    /api/dashboards/{id}/tiles/{tileId}/embed-tokens    → { embedTokens: EmbedTokenInfo[] }
 *   DELETE /api/dashboards/{id}/tiles/{tileId}/embed-tokens/{tokenId} → 204 | 404
 *   GET    /api/embed/tiles/{tileId}  (embed token for that tile: Bearer or ?token=; or a reader token) → TileResult
 */

export const GRID_COLUMNS = 12;
export const MAX_TILE_HEIGHT = 12;
export const MAX_TILES = 50;
export const MIN_REFRESH_SECONDS = 30;
export const MAX_REFRESH_SECONDS = 86_400;
/** Time ranges from a minute to a year: longer would scan everything kept anyway. */
export const MIN_RANGE_MS = 60_000;
export const MAX_RANGE_MS = 366 * 86_400_000;

export interface TileInput {
  /** Sent back on PUT to keep a tile (and its embed tokens); left out for a new tile. */
  id?: string;
  title: string;
  savedSearchId: string;
  /**
   * `auto` (the query's own `render`, a table without one), `table`, or a chart: the names whose
   * `tile` support is true in language/values/visualizations.ts, which the server checks.
   */
  visualization: string;
  /** An ISO 8601 duration ending now, e.g. "PT6H", "P1D", "P7D". */
  timeRange: string;
  /** 0: never; otherwise 30 to 86,400. */
  refreshSeconds: number;
  /** Grid cell of the top-left corner (x: 0–11) and size in cells. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Tile extends TileInput {
  id: string;
}

export interface DashboardInput {
  name: string;
  description: string;
  tiles: TileInput[];
}

export interface Dashboard {
  id: string;
  name: string;
  description: string;
  tiles: Tile[];
  /** UTC ISO instants. */
  createdAt: string;
  updatedAt: string;
}

/** One problem with an input: `field` is a JSON path such as "tiles[2].refreshSeconds". */
export interface DashboardProblem {
  field: string;
  message: string;
}

/** A tile as a viewer needs it: where it lives, the query it runs, and the window it ran over. */
export interface TileView extends Tile {
  dashboardId: string;
  dashboardName: string;
  savedSearchName: string;
  query: string;
  /** The window the result covers, UTC ISO instants. */
  window: { start: string; end: string };
}

export interface IssuedEmbedToken {
  /** Shown once: only its hash is stored. */
  token: string;
  tokenId: string;
  dashboardId: string;
  tileId: string;
  createdAt: string;
  expiresAt: string | null;
  /** The workbench page that shows the tile alone, for an iframe's src. */
  embedPath: string;
}

export interface EmbedTokenInfo {
  tokenId: string;
  tileId: string;
  createdAt: string;
  expiresAt: string | null;
}

export const DEFAULT_DASHBOARD_NAME = 'Update compliance';
