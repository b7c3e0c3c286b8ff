/** The dashboards API (contracts/dashboards.ts) with the signed-in token. */
import type { Dashboard, DashboardInput, IssuedEmbedToken, Tile, TileInput } from '../../../../contracts/dashboards.js';
import type { SavedSearch } from '../../../../contracts/saved.js';
import { apiFetch, apiJson } from '../../lib/api.js';
import { session } from '../../lib/session.svelte.js';
import { fetchTileResult, type TileResult } from '../../embed/tile-result.js';

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export const listDashboards = async (): Promise<Dashboard[]> => (await apiJson<{ dashboards: Dashboard[] }>('/api/dashboards')).dashboards;
export const getDashboard = (id: string): Promise<Dashboard> => apiJson<Dashboard>(`/api/dashboards/${encodeURIComponent(id)}`);
export const createDashboard = (input: DashboardInput): Promise<Dashboard> => apiJson<Dashboard>('/api/dashboards', json('POST', input));
/** A refused save, with each problem at its field (ApiError keeps only the message). */
export class DashboardProblems extends Error {
  constructor(
    message: string,
    readonly problems: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'DashboardProblems';
  }
}

export async function saveDashboard(id: string, input: DashboardInput): Promise<Dashboard> {
  const response = await fetch(`/api/dashboards/${encodeURIComponent(id)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token ?? ''}` },
    body: JSON.stringify(input),
  });
  if (response.status === 400 || response.status === 409) {
    const body = (await response.json()) as { error: { message: string; problems?: { field: string; message: string }[] } };
    throw new DashboardProblems(body.error.message, body.error.problems ?? []);
  }
  // Anything else (401 signs out) the usual way.
  if (!response.ok) await apiFetch(`/api/dashboards/${encodeURIComponent(id)}`, { method: 'PUT', body: JSON.stringify(input) });
  return (await response.json()) as Dashboard;
}
export const deleteDashboard = async (id: string): Promise<void> => void (await apiFetch(`/api/dashboards/${encodeURIComponent(id)}`, { method: 'DELETE' }));
export const listSavedSearches = async (): Promise<SavedSearch[]> => (await apiJson<{ savedSearches: SavedSearch[] }>('/api/saved-searches')).savedSearches;

export const issueEmbedToken = (dashboardId: string, tileId: string, expiresIn?: string): Promise<IssuedEmbedToken> =>
  apiJson<IssuedEmbedToken>(`/api/dashboards/${encodeURIComponent(dashboardId)}/tiles/${encodeURIComponent(tileId)}/embed-token`, json('POST', expiresIn ? { expiresIn } : {}));

export function tileResult(dashboardId: string, tileId: string, signal?: AbortSignal): Promise<TileResult> {
  const path = `/api/dashboards/${encodeURIComponent(dashboardId)}/tiles/${encodeURIComponent(tileId)}/result`;
  return fetchTileResult(path, session.token ?? '', signal);
}

/** The input to send back for a stored dashboard: tiles keep their ids. */
export function inputOf(dashboard: Pick<Dashboard, 'name' | 'description'> & { tiles: (Tile | TileInput)[] }): DashboardInput {
  return { name: dashboard.name, description: dashboard.description, tiles: dashboard.tiles.map((t) => ({ ...t })) };
}
