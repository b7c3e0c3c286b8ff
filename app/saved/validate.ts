/**
 * Checks a saved search before it is stored: the shape of the body, a name other queries can
 * call it by (an identifier that is not a record table, a built-in function or a keyword), and
 * a query that compiles — with the other saved searches in scope, as it will run.
 */
import { lineColumn } from '../../language/syntax/diagnostics.js';
import { lex } from '../../language/syntax/lexer.js';
import { Identifier } from '../../language/syntax/tokens.js';
import { compile } from '../../language/compile.js';
import { allFunctionNames } from '../../language/functions/catalogue.js';
import type { Catalog, StoredFunction } from '../../language/schema/tables.js';
import type { SavedSearchInput, SavedSearchProblem } from '../../contracts/saved.js';

export const MAX_NAME_LENGTH = 100;
export const MAX_CATEGORY_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_QUERY_LENGTH = 100_000;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Types do not depend on now(); a fixed clock keeps validation deterministic. */
const validationNow = new Date(0);

export type Validated = { ok: true; value: SavedSearchInput } | { ok: false; problems: SavedSearchProblem[] };

/** `catalog`: the record tables and the saved searches as they would be after this change. */
export function validateSavedSearch(body: unknown, catalog: Catalog): Validated {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [{ field: '', message: 'Send a JSON object: { "name", "category", "description", "query" }.' }] };
  }
  const record = body as Record<string, unknown>;
  const problems: SavedSearchProblem[] = [];
  const text = (field: keyof SavedSearchInput, max: number, required: boolean): string => {
    const value = record[field];
    if (value === undefined && !required) return '';
    if (typeof value !== 'string') {
      problems.push({ field, message: `${field} must be a string${required ? '' : ' (or left out)'}.` });
      return '';
    }
    if (value.length > max) problems.push({ field, message: `${field} is ${value.length} characters long; keep it to ${max}.` });
    return value;
  };
  const name = text('name', MAX_NAME_LENGTH, true).trim();
  const category = text('category', MAX_CATEGORY_LENGTH, false).trim();
  const description = text('description', MAX_DESCRIPTION_LENGTH, false);
  const query = text('query', MAX_QUERY_LENGTH, true);
  if (typeof record.name === 'string') problems.push(...nameProblems(name, catalog));
  if (typeof record.query === 'string' && query.length <= MAX_QUERY_LENGTH) problems.push(...queryProblems(query, catalog));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { name, category, description, query } };
}

/** Why `name` cannot name a saved search; empty when it can. */
export function nameProblems(name: string, catalog: Catalog): SavedSearchProblem[] {
  const problem = (message: string): SavedSearchProblem[] => [{ field: 'name', message }];
  if (name === '') return problem('The name is empty: give one other queries can call it by, e.g. "LinuxWebServers".');
  if (!IDENTIFIER.test(name)) {
    const suggestion = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(\d)/, '_$1');
    return problem(`"${name}" cannot be used as a function name: use letters, digits and _ only, not starting with a digit (e.g. "${suggestion}").`);
  }
  const lower = name.toLowerCase();
  const table = catalog.tableNames().find((t) => t.toLowerCase() === lower);
  if (table) return problem(`"${name}" is the name of the record table ${table}; a saved search of that name would hide it. Choose another name.`);
  const builtIn = allFunctionNames().find((f) => f.toLowerCase() === lower);
  if (builtIn) return problem(`"${name}" is the built-in function ${builtIn}(); choose another name.`);
  // Soft keywords (where, count, kind …) can name columns, but a source named `where` would only confuse.
  const tokens = lex(name).tokens;
  if (tokens.length !== 1 || tokens[0]!.tokenType !== Identifier) return problem(`"${name}" is a KQL keyword; choose another name.`);
  return [];
}

function queryProblems(query: string, catalog: Catalog): SavedSearchProblem[] {
  if (query.trim() === '') return [{ field: 'query', message: 'The query is empty: write the KQL to save, e.g. "Heartbeat | distinct Computer".' }];
  const compiled = compile(query, { catalog, now: validationNow });
  if (compiled.ok) return [];
  return compiled.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const { line, column } = lineColumn(query, d.range.start);
      return { field: 'query', code: d.code, line, column, message: `${line}:${column}: ${d.code}: ${d.message}` };
    });
}

/** The catalog with `functions` replaced: what the saved searches would be after a change. */
export function catalogWithFunctions(base: Catalog, functions: ReadonlyMap<string, StoredFunction>): Catalog {
  return { table: (name) => base.table(name), tableNames: () => base.tableNames(), functions };
}
