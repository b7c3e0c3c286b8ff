/** The live schema (`GET /api/schema`), fetched once per sign-in and shared by the page and the editor worker. */
import { apiJson } from '../lib/api.js';

export interface SchemaTable {
  name: string;
  description?: string;
  columns: { name: string; type: string }[];
}

export interface SchemaAnswer {
  tables: SchemaTable[];
  /** Saved searches other queries can use by name, with the columns they return (completion offers them). */
  functions?: { name: string; description?: string; columns?: { name: string; type: string }[] }[];
}

let cached: { token: string | null; schema: Promise<SchemaAnswer> } | undefined;

export function loadSchema(token: string | null): Promise<SchemaAnswer> {
  if (!cached || cached.token !== token) {
    const schema = apiJson<SchemaAnswer>('/api/schema');
    schema.catch(() => (cached = undefined));
    cached = { token, schema };
  }
  return cached.schema;
}

/** Fetches the schema again (the saved searches changed) and keeps it for the next page. */
export function reloadSchema(token: string | null): Promise<SchemaAnswer> {
  cached = undefined;
  return loadSchema(token);
}
