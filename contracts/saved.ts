/**
 * Saved searches: named KQL queries with a category and a description. Each one is also a
 * stored function: another query can use it by its name (`MyGroup | …`, `MyGroup()`,
 * `Computer in (MyGroup)`), which is how computer groups work — a saved search returning a
 * `Computer` column is a group a deployment can target.
 *
 * HTTP API (bearer: reader to read, operator/admin to change):
 *   GET    /api/saved-searches                  → { savedSearches: SavedSearch[] }  (by category, then name)
 *   POST   /api/saved-searches  SavedSearchInput → 201 SavedSearch | 400 InvalidSavedSearch { problems } | 409 SavedSearchNameTaken
 *   GET    /api/saved-searches/{id}             → SavedSearch | 404 SavedSearchNotFound
 *   PUT    /api/saved-searches/{id}  SavedSearchInput → SavedSearch | 400 | 404 | 409 (name taken, or a rename while in use)
 *   DELETE /api/saved-searches/{id}             → 204 | 404 | 409 SavedSearchInUse { users }
 * `{id}` also accepts the saved search's name.
 */

export interface SavedSearchInput {
  /** A KQL identifier (letters, digits, _; not starting with a digit): the name other queries call it by. */
  name: string;
  /** Free text grouping for lists, e.g. "Computer groups" or "Samples". */
  category: string;
  description: string;
  /** KQL: optional let statements, then a query. */
  query: string;
}

export interface SavedSearch extends SavedSearchInput {
  id: string;
  /** UTC ISO instants. */
  createdAt: string;
  updatedAt: string;
}

/** One problem with an input: `field` is a key of SavedSearchInput; query problems carry where and the diagnostic code. */
export interface SavedSearchProblem {
  field: string;
  message: string;
  line?: number;
  column?: number;
  code?: string;
}

/** Something that uses a saved search by name: renaming or deleting it is refused while it does. */
export interface SavedSearchUser {
  /** e.g. "deployment", "saved search", "alert rule". */
  kind: string;
  name: string;
  id?: string;
  /** Where in that thing, e.g. "targets.groups[0]". */
  field?: string;
}

export const SAMPLES_CATEGORY = 'Samples';
