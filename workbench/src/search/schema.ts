/** The live schema (`GET /api/schema`), fetched once per sign-in and shared by the page and the editor worker. */
import { apiJson } from '../lib/api.js';

export interface SchemaTable {
  name: string;
  description?: string;
  columns: { name: string; type: string }[];
}

export interface SchemaAnswer {
  tables: SchemaTable[];
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
