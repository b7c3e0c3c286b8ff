/**
 * What the HTTP routes, the deployments and the alert rules do with saved searches: validate,
 * store, find by id or name, hand the compiler the stored functions, and refuse renaming or
 * deleting one that something uses.
 *
 * Users are found by usage sources: the service itself knows the other saved searches (one that
 * names this one in its query); the server registers the deployments; a later module (alert
 * rules) plugs in with `registerUsageSource("alert rules", fn)`. A rename or delete is refused
 * with 409 SavedSearchInUse listing every user.
 */
import { compile } from '../../language/compile.js';
import { recordCatalog, type Catalog, type StoredFunction } from '../../language/schema/tables.js';
import type { Column } from '../../language/schema/types.js';
import type { SavedSearch, SavedSearchProblem, SavedSearchUser } from '../../contracts/saved.js';
import { DuplicateSavedSearchNameError, type SavedSearchStore } from './saved-search-store.js';
import { catalogWithFunctions, validateSavedSearch } from './validate.js';

/** Who uses `search` (by its current name); an empty list when nothing does. */
export type UsageSource = (search: SavedSearch) => Promise<SavedSearchUser[]> | SavedSearchUser[];

export type SavedSearchChange =
  | { kind: 'created'; savedSearch: SavedSearch }
  | { kind: 'replaced'; savedSearch: SavedSearch; previous: SavedSearch }
  | { kind: 'deleted'; savedSearch: SavedSearch };

export type SavedSearchRefusal =
  | { status: 400; code: 'InvalidSavedSearch'; message: string; problems: SavedSearchProblem[] }
  | { status: 404; code: 'SavedSearchNotFound'; message: string }
  | { status: 409; code: 'SavedSearchNameTaken'; message: string; problems: SavedSearchProblem[] }
  | { status: 409; code: 'SavedSearchInUse'; message: string; users: SavedSearchUser[] };

export type SavedOutcome<T> = { ok: true; value: T } | ({ ok: false } & SavedSearchRefusal);

/** What GET /api/schema lists for completion: each saved search as a function with its columns. */
export interface FunctionInfo {
  name: string;
  description: string;
  category: string;
  /** Absent when the query does not compile any more (e.g. a table changed). */
  columns?: { name: string; type: string }[];
}

const fixedNow = new Date(0);

export class SavedSearchService {
  private readonly sources = new Map<string, UsageSource>();
  private readonly listeners: ((change: SavedSearchChange) => void)[] = [];
  private readonly liveCatalog: Catalog;

  constructor(
    readonly store: SavedSearchStore,
    private readonly now: () => Date,
    private readonly baseCatalog: Catalog = recordCatalog,
  ) {
    this.liveCatalog = catalogWithFunctions(baseCatalog, store.functions());
    this.registerUsageSource('saved searches', (search) => this.savedSearchUsers(search));
  }

  /** The record tables plus every saved search as a stored function: pass it to compile(). */
  catalog(): Catalog {
    return this.liveCatalog;
  }

  /** Adds (or replaces) a source of users; `name` only identifies the source. */
  registerUsageSource(name: string, source: UsageSource): void {
    this.sources.set(name, source);
  }

  onChange(listener: (change: SavedSearchChange) => void): void {
    this.listeners.push(listener);
  }

  list(): SavedSearch[] {
    return this.store.list();
  }

  /** By id, or else by name. */
  find(idOrName: string): SavedSearch | undefined {
    return this.store.get(idOrName) ?? this.store.getByName(idOrName);
  }

  get(idOrName: string): SavedOutcome<SavedSearch> {
    const found = this.find(idOrName);
    return found ? { ok: true, value: found } : notFound(idOrName);
  }

  /** The query text of a saved search by name: the deployments' SavedSearchLookup. */
  async queryOf(name: string): Promise<string | undefined> {
    return this.store.getByName(name)?.query;
  }

  async create(body: unknown): Promise<SavedOutcome<SavedSearch>> {
    const name = nameIn(body);
    const taken = name !== undefined ? this.store.getByName(name) : undefined;
    if (taken) return nameTaken(new DuplicateSavedSearchNameError(name!, taken));
    const validated = validateSavedSearch(body, this.catalogAfter(undefined, body));
    if (!validated.ok) return invalid(validated.problems);
    return this.stored(async () => {
      const savedSearch = await this.store.create(validated.value, this.now());
      this.emit({ kind: 'created', savedSearch });
      return savedSearch;
    });
  }

  async replace(idOrName: string, body: unknown): Promise<SavedOutcome<SavedSearch>> {
    const current = this.find(idOrName);
    if (!current) return notFound(idOrName);
    const name = nameIn(body);
    const taken = name !== undefined ? this.store.getByName(name) : undefined;
    if (taken && taken.id !== current.id) return nameTaken(new DuplicateSavedSearchNameError(name!, taken));
    const after = this.catalogAfter(current, body);
    const validated = validateSavedSearch(body, after);
    if (!validated.ok) return invalid(validated.problems);
    if (validated.value.name !== current.name) {
      const users = await this.usersOf(current);
      if (users.length > 0) return inUse(current, users, 'renamed');
    }
    const broken = this.brokenDependents(current, after);
    if (broken.length > 0) return invalid(broken);
    return this.stored(async () => {
      const savedSearch = await this.store.replace(current.id, validated.value, this.now());
      if (!savedSearch) return notFound(idOrName);
      this.emit({ kind: 'replaced', savedSearch, previous: current });
      return savedSearch;
    });
  }

  async delete(idOrName: string): Promise<SavedOutcome<SavedSearch>> {
    const current = this.find(idOrName);
    if (!current) return notFound(idOrName);
    const users = await this.usersOf(current);
    if (users.length > 0) return inUse(current, users, 'deleted');
    if (!(await this.store.delete(current.id))) return notFound(idOrName);
    this.emit({ kind: 'deleted', savedSearch: current });
    return { ok: true, value: current };
  }

  /** Everything that uses `search`, from every usage source; a source that fails counts as a user (we cannot know). */
  async usersOf(search: SavedSearch): Promise<SavedSearchUser[]> {
    const users: SavedSearchUser[] = [];
    for (const [name, source] of this.sources) {
      try {
        users.push(...(await source(search)));
      } catch (error) {
        users.push({ kind: name, name: `(could not be checked: ${(error as Error).message})` });
      }
    }
    return users;
  }

  /** Each saved search as a function, with the columns its query returns, for completion. */
  functionInfos(): FunctionInfo[] {
    return this.store.list().map((s) => {
      const compiled = compile(s.name, { catalog: this.liveCatalog, now: fixedNow });
      const columns = compiled.ok ? compiled.columns.map(({ name, type }: Column) => ({ name, type })) : undefined;
      return { name: s.name, description: s.description, category: s.category, ...(columns ? { columns } : {}) };
    });
  }

  /** The stored functions a query uses (directly or through others), by name. */
  functionsUsedBy(query: string): string[] {
    const compiled = compile(query, { catalog: this.liveCatalog, now: fixedNow });
    return compiled.ok ? compiled.functions : [];
  }

  /** Other saved searches whose query uses `search`, directly or through another. */
  private savedSearchUsers(search: SavedSearch): SavedSearchUser[] {
    return this.store
      .list()
      .filter((other) => other.id !== search.id && this.functionsUsedBy(other.query).includes(search.name))
      .map((other) => ({ kind: 'saved search', name: other.name, id: other.id }));
  }

  /** Saved searches using `current` that would stop compiling with the change. */
  private brokenDependents(current: SavedSearch, after: Catalog): SavedSearchProblem[] {
    const problems: SavedSearchProblem[] = [];
    for (const other of this.store.list()) {
      if (other.id === current.id || !this.functionsUsedBy(other.query).includes(current.name)) continue;
      const compiled = compile(other.query, { catalog: after, now: fixedNow });
      if (compiled.ok) continue;
      const reason = compiled.diagnostics.find((d) => d.severity === 'error')?.message ?? 'it would not compile';
      problems.push({ field: 'query', message: `The saved search "${other.name}" uses this one and would fail with this change: ${reason}` });
    }
    return problems;
  }

  /** The catalog as it would be with `body` stored in place of `current` (or added). */
  private catalogAfter(current: SavedSearch | undefined, body: unknown): Catalog {
    const functions = new Map<string, StoredFunction>(this.store.functions());
    if (current) functions.delete(current.name);
    const name = nameIn(body);
    const query = (body as { query?: unknown } | null)?.query;
    if (name !== undefined && typeof query === 'string') functions.set(name, { body: query });
    return catalogWithFunctions(this.baseCatalog, functions);
  }

  private async stored(write: () => Promise<SavedOutcome<SavedSearch> | SavedSearch>): Promise<SavedOutcome<SavedSearch>> {
    try {
      const result = await write();
      return 'ok' in result ? result : { ok: true, value: result };
    } catch (error) {
      if (error instanceof DuplicateSavedSearchNameError) return nameTaken(error);
      throw error;
    }
  }

  private emit(change: SavedSearchChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // The change is stored; a listener's failure must not turn it into a failed request.
        process.emitWarning(`a saved search change listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function nameIn(body: unknown): string | undefined {
  const name = (body as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined;
}

function notFound(idOrName: string): { ok: false } & SavedSearchRefusal {
  return { ok: false, status: 404, code: 'SavedSearchNotFound', message: `There is no saved search with the id or name "${idOrName}": list them with GET /api/saved-searches (or upkeep saved list).` };
}

function invalid(problems: SavedSearchProblem[]): { ok: false } & SavedSearchRefusal {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return { ok: false, status: 400, code: 'InvalidSavedSearch', message: `The saved search has ${count}: ${problems.map((p) => `${p.field || '(body)'}: ${p.message}`).join(' ')}`, problems };
}

function nameTaken(error: DuplicateSavedSearchNameError): { ok: false } & SavedSearchRefusal {
  return { ok: false, status: 409, code: 'SavedSearchNameTaken', message: error.message, problems: [{ field: 'name', message: error.message }] };
}

function inUse(search: SavedSearch, users: SavedSearchUser[], action: 'renamed' | 'deleted'): { ok: false } & SavedSearchRefusal {
  const list = users.map(describeUser).join('; ');
  const fix = action === 'renamed' ? 'keep its name, or change them to use another saved search first' : 'change them to use another saved search first';
  return { ok: false, status: 409, code: 'SavedSearchInUse', message: `The saved search "${search.name}" cannot be ${action}: it is used by ${list}. ${fix[0]!.toUpperCase()}${fix.slice(1)}.`, users };
}

export function describeUser(user: SavedSearchUser): string {
  return `${user.kind} "${user.name}"${user.id ? ` (${user.id})` : ''}${user.field ? ` at ${user.field}` : ''}`;
}
