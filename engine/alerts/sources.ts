/** What alert rules need from the rest of the server, as interfaces (the server wires the real ones). */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import type { QueryResult } from '../execute/result.js';
import type { TimeWindow } from '../server/timespan.js';

/** The query service's `run`: `window` restricts TimeGenerated, `now` is the query's now(). */
export interface AlertQueryRunner {
  run(request: { text: string; window?: TimeWindow; now?: Date }): Promise<{ ok: true; result: QueryResult } | { ok: false; diagnostics: Diagnostic[] } | { ok: false; busy: true }>;
}

/** Saved searches by id or name (engine/saved's SavedSearchStore fits). */
export interface SavedSearchSource {
  get(id: string): { id: string; name: string; query: string } | undefined;
  getByName(name: string): { id: string; name: string; query: string } | undefined;
}
