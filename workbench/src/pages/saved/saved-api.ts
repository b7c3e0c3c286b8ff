/** The saved searches API (contracts/saved.ts) with the signed-in token. */
import type { SavedSearch, SavedSearchInput, SavedSearchUser } from '../../../../contracts/saved.js';
import { apiJson } from '../../lib/api.js';
import { callWithOutcome, type Outcome } from './api-outcome.js';

const path = (id: string): string => `/api/saved-searches/${encodeURIComponent(id)}`;

export const listSavedSearches = async (): Promise<SavedSearch[]> => (await apiJson<{ savedSearches: SavedSearch[] }>('/api/saved-searches')).savedSearches;
export const getSavedSearch = (id: string): Promise<Outcome<SavedSearch>> => callWithOutcome<SavedSearch>(path(id));
export const createSavedSearch = (input: SavedSearchInput): Promise<Outcome<SavedSearch>> =>
  callWithOutcome<SavedSearch>('/api/saved-searches', { method: 'POST', body: JSON.stringify(input) });
export const replaceSavedSearch = (id: string, input: SavedSearchInput): Promise<Outcome<SavedSearch>> =>
  callWithOutcome<SavedSearch>(path(id), { method: 'PUT', body: JSON.stringify(input) });
export const deleteSavedSearch = (id: string): Promise<Outcome<void>> => callWithOutcome<void>(path(id), { method: 'DELETE' });
export const usersOfSavedSearch = async (id: string): Promise<SavedSearchUser[]> => (await apiJson<{ users: SavedSearchUser[] }>(`${path(id)}/users`)).users;

export interface Category {
  name: string;
  searches: SavedSearch[];
}

/** By category (an empty category is listed last, as "Uncategorised"), then by name. */
export function byCategory(searches: readonly SavedSearch[]): Category[] {
  const groups = new Map<string, SavedSearch[]>();
  for (const s of searches) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([name, list]) => ({ name: name === '' ? 'Uncategorised' : name, searches: [...list].sort((x, y) => x.name.localeCompare(y.name)) }));
}

/** Where a user of a saved search is edited in the workbench. */
export function userLink(user: SavedSearchUser): string | undefined {
  if (!user.id) return undefined;
  const id = encodeURIComponent(user.id);
  switch (user.kind) {
    case 'deployment':
      return `/deployments/${id}`;
    case 'dashboard':
      return `/dashboards/${id}`;
    case 'alert rule':
      return `/alerts/${id}`;
    case 'saved search':
      return `/saved/${id}`;
    default:
      return undefined;
  }
}
