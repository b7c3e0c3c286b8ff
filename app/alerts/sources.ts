/** What alert rules need from the rest of the server, as interfaces (the server wires the real ones). */
import type { Diagnostic } from '../../language/syntax/diagnostics.js';
import type { QueryResult } from '../../language/values/result.js';
import type { Catalog } from '../../language/schema/tables.js';
import type { TimeWindow } from '../../contracts/timespan.js';

/** The query service's `run`: `window` restricts TimeGenerated, `now` is the query's now(). */
export interface AlertQueryRunner {
  run(request: { text: string; window?: TimeWindow; now?: Date }): Promise<{ ok: true; result: QueryResult } | { ok: false; diagnostics: Diagnostic[] } | { ok: false; busy: true }>;
}

/** Saved searches (app/saved's SavedSearchService fits). */
export interface SavedSearchSource {
  /** By id, else by name. */
  find(idOrName: string): { id: string; name: string; query: string } | undefined;
  /** The record tables plus the saved searches as stored functions, for compile(). */
  catalog(): Catalog;
  /** Names of the saved searches a query uses as functions. */
  functionsUsedBy(query: string): string[];
}
