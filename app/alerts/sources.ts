/** What alert rules need from the rest of the server, as interfaces (the server wires the real ones). */
import type { Catalog } from '../../language/schema/tables.js';
import type { QueryRunner } from '../../query/query-runner.js';

/** The server's query runner (`window` restricts TimeGenerated, `now` is the query's now()): its limits hold for rules too. */
export type AlertQueryRunner = Pick<QueryRunner, 'run'>;

/** Saved searches (app/saved's SavedSearchService fits). */
export interface SavedSearchSource {
  /** By id, else by name. */
  find(idOrName: string): { id: string; name: string; query: string } | undefined;
  /** The record tables plus the saved searches as stored functions, for compile(). */
  catalog(): Catalog;
  /** Names of the saved searches a query uses as functions. */
  functionsUsedBy(query: string): string[];
}
