/**
 * Checks a dashboard before it is stored: the shape of the body, each tile's saved search, time
 * range, refresh interval and place on the grid, and that no two tiles overlap. Every problem is
 * reported at once, at its JSON path, with what to send instead.
 */
import { durationMs } from '../../contracts/timespan.js';
import { isTileVisualization, tileVisualizations, unsupportedReason } from '../../language/values/visualizations.js';
import {
  GRID_COLUMNS,
  MAX_RANGE_MS,
  MAX_REFRESH_SECONDS,
  MAX_TILES,
  MAX_TILE_HEIGHT,
  MIN_RANGE_MS,
  MIN_REFRESH_SECONDS,
  type DashboardInput,
  type DashboardProblem,
  type TileInput,
} from '../../contracts/dashboards.js';

export const MAX_NAME_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_TITLE_LENGTH = 100;

/** Finds a saved search by id or name; its id is what a tile stores. */
export type SavedSearchFinder = (idOrName: string) => { id: string; name: string } | undefined;

export type ValidatedDashboard = { ok: true; value: DashboardInput } | { ok: false; problems: DashboardProblem[] };

export function validateDashboard(body: unknown, findSavedSearch: SavedSearchFinder): ValidatedDashboard {
  if (!isObject(body)) return { ok: false, problems: [{ field: '', message: 'Send a JSON object: { "name", "description", "tiles": [...] }.' }] };
  const problems: DashboardProblem[] = [];
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (typeof body.name !== 'string' || name === '') problems.push({ field: 'name', message: 'Give the dashboard a name, e.g. "Update compliance".' });
  else if (name.length > MAX_NAME_LENGTH) problems.push({ field: 'name', message: `The name is ${name.length} characters long; keep it to ${MAX_NAME_LENGTH}.` });
  const description = body.description === undefined ? '' : body.description;
  if (typeof description !== 'string') problems.push({ field: 'description', message: 'description must be a string (or left out).' });
  else if (description.length > MAX_DESCRIPTION_LENGTH) problems.push({ field: 'description', message: `The description is ${description.length} characters long; keep it to ${MAX_DESCRIPTION_LENGTH}.` });
  const tiles: TileInput[] = [];
  if (body.tiles !== undefined && !Array.isArray(body.tiles)) problems.push({ field: 'tiles', message: 'tiles must be a list of tiles (or left out for an empty dashboard).' });
  else {
    const list: unknown[] = (body.tiles as unknown[] | undefined) ?? [];
    if (list.length > MAX_TILES) problems.push({ field: 'tiles', message: `A dashboard holds at most ${MAX_TILES} tiles; this one has ${list.length}. Split it into several dashboards.` });
    list.slice(0, MAX_TILES).forEach((tile, i) => {
      const checked = validateTile(tile, `tiles[${i}]`, findSavedSearch, problems);
      if (checked) tiles.push(checked);
    });
    if (tiles.length === list.length) problems.push(...overlapProblems(tiles));
    problems.push(...duplicateIdProblems(tiles));
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { name, description: description as string, tiles } };
}

function validateTile(tile: unknown, at: string, findSavedSearch: SavedSearchFinder, problems: DashboardProblem[]): TileInput | undefined {
  if (!isObject(tile)) {
    problems.push({ field: at, message: 'A tile is an object: { "title", "savedSearchId", "visualization", "timeRange", "refreshSeconds", "x", "y", "w", "h" }.' });
    return undefined;
  }
  const before = problems.length;
  const add = (field: string, message: string) => problems.push({ field: `${at}.${field}`, message });
  const id = tile.id;
  if (id !== undefined && (typeof id !== 'string' || id === '')) add('id', 'id must be the id of a tile of this dashboard (or left out for a new tile).');
  const title = typeof tile.title === 'string' ? tile.title.trim() : '';
  if (tile.title !== undefined && typeof tile.title !== 'string') add('title', 'title must be a string (or left out to use the saved search\'s name).');
  else if (title.length > MAX_TITLE_LENGTH) add('title', `The title is ${title.length} characters long; keep it to ${MAX_TITLE_LENGTH}.`);
  const savedSearch = typeof tile.savedSearchId === 'string' && tile.savedSearchId.trim() !== '' ? findSavedSearch(tile.savedSearchId.trim()) : undefined;
  if (typeof tile.savedSearchId !== 'string' || tile.savedSearchId.trim() === '') add('savedSearchId', 'Name the saved search the tile runs: its id (or name), from GET /api/saved-searches.');
  else if (!savedSearch) add('savedSearchId', `There is no saved search with the id or name "${tile.savedSearchId}": pick one from GET /api/saved-searches (or upkeep saved list), or save the query first.`);
  const visualization = tile.visualization === undefined ? 'auto' : tile.visualization;
  if (typeof visualization !== 'string' || !isTileVisualization(visualization)) add('visualization', visualizationProblem(visualization));
  const timeRange = typeof tile.timeRange === 'string' ? tile.timeRange.trim().toUpperCase() : '';
  const rangeProblem = timeRangeProblem(tile.timeRange);
  if (rangeProblem) add('timeRange', rangeProblem);
  const refreshSeconds = tile.refreshSeconds === undefined ? 0 : tile.refreshSeconds;
  const refreshProblem = refreshSecondsProblem(refreshSeconds);
  if (refreshProblem) add('refreshSeconds', refreshProblem);
  const place = placeOf(tile, add);
  if (problems.length > before || !savedSearch || !place) return undefined;
  return {
    ...(typeof id === 'string' ? { id } : {}),
    title: title === '' ? savedSearch.name : title,
    savedSearchId: savedSearch.id,
    visualization: visualization as string,
    timeRange,
    refreshSeconds: refreshSeconds as number,
    ...place,
  };
}

function visualizationProblem(value: unknown): string {
  const allowed = `use one of ${tileVisualizations.join(', ')} (auto follows the query's render).`;
  const reason = unsupportedReason(String(value), 'tile');
  if (typeof value === 'string' && reason !== undefined) return `"${value}" cannot be a tile's visualization: ${reason} Allowed: ${allowed.slice(4)}`;
  return `"${String(value)}" is not a visualization; ${allowed}`;
}

/** Why `value` is not a tile time range; undefined when it is one. */
export function timeRangeProblem(value: unknown): string | undefined {
  const example = 'e.g. "PT1H" (an hour), "P1D" (a day), "P7D" (a week)';
  if (typeof value !== 'string' || value.trim() === '') return `Give the time range as an ISO 8601 duration ending now, ${example}.`;
  const ms = durationMs(value.trim());
  if (ms === undefined) return `"${value}" is not an ISO 8601 duration in weeks, days, hours, minutes or seconds; use one such as ${example.slice(5)}.`;
  if (ms < MIN_RANGE_MS) return `"${value}" is shorter than a minute; use PT1M or longer.`;
  if (ms > MAX_RANGE_MS) return `"${value}" is longer than 366 days; use P366D or shorter.`;
  return undefined;
}

function refreshSecondsProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `refreshSeconds must be a whole number of seconds: 0 (never) or ${MIN_REFRESH_SECONDS} to ${MAX_REFRESH_SECONDS}.`;
  if (value === 0) return undefined;
  if (value < MIN_REFRESH_SECONDS) return `A tile refreshes at most every ${MIN_REFRESH_SECONDS} s (it reruns its query each time); use ${MIN_REFRESH_SECONDS} or more, or 0 for never.`;
  if (value > MAX_REFRESH_SECONDS) return `refreshSeconds is at most ${MAX_REFRESH_SECONDS} (a day); use 0 for never.`;
  return undefined;
}

function placeOf(tile: Record<string, unknown>, add: (field: string, message: string) => void): Pick<TileInput, 'x' | 'y' | 'w' | 'h'> | undefined {
  const int = (field: 'x' | 'y' | 'w' | 'h', min: number, max: number, what: string): number | undefined => {
    const value = tile[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      add(field, `${field} must be a whole number from ${min} to ${max} (${what}).`);
      return undefined;
    }
    return value;
  };
  const x = int('x', 0, GRID_COLUMNS - 1, 'the column of its left edge; the grid has 12 columns');
  const y = int('y', 0, 1000, 'the row of its top edge');
  const w = int('w', 1, GRID_COLUMNS, 'its width in columns');
  const h = int('h', 1, MAX_TILE_HEIGHT, 'its height in rows');
  if (x === undefined || y === undefined || w === undefined || h === undefined) return undefined;
  if (x + w > GRID_COLUMNS) {
    add('w', `The tile reaches past the grid's ${GRID_COLUMNS} columns (x ${x} + w ${w} = ${x + w}); make it at most ${GRID_COLUMNS - x} wide or move it left.`);
    return undefined;
  }
  return { x, y, w, h };
}

function overlapProblems(tiles: TileInput[]): DashboardProblem[] {
  const problems: DashboardProblem[] = [];
  tiles.forEach((a, i) => {
    const j = tiles.findIndex((b, k) => k < i && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h);
    if (j >= 0) {
      const b = tiles[j]!;
      problems.push({
        field: `tiles[${i}]`,
        message: `The tile "${a.title}" (x ${a.x}, y ${a.y}, ${a.w}×${a.h}) overlaps tiles[${j}] "${b.title}" (x ${b.x}, y ${b.y}, ${b.w}×${b.h}); move it, e.g. to y ${b.y + b.h}.`,
      });
    }
  });
  return problems;
}

function duplicateIdProblems(tiles: TileInput[]): DashboardProblem[] {
  const seen = new Set<string>();
  const problems: DashboardProblem[] = [];
  tiles.forEach((tile, i) => {
    if (tile.id === undefined) return;
    if (seen.has(tile.id)) problems.push({ field: `tiles[${i}].id`, message: `Two tiles have the id "${tile.id}"; leave id out of a copied tile.` });
    seen.add(tile.id);
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
