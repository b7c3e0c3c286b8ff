/**
 * The engine's side of editor completion: a `CompletionSource` (language/completion/source.ts)
 * backed by the real compiler and function catalogue, so the columns in scope after
 * `extend`/`summarize`/`project` are exactly what the query would produce. Pure TS: runs in the
 * workbench's Web Worker with a catalog built from `GET /api/schema`.
 */
import type { ColumnInfo, CompletionSource, FunctionInfo, TableInfo } from './source.js';
import { quoteName } from './complete.js';
import { compile } from '../compile.js';
import { allFunctions } from '../functions/catalogue.js';
import type { ArgSpec, FunctionSpec } from '../functions/spec.js';
import type { Catalog, StoredFunction } from '../schema/tables.js';
import type { TableSchema } from '../schema/types.js';

/** `GET /api/schema`'s answer. */
export interface SchemaAnswer {
  tables: { name: string; description?: string; columns: { name: string; type: string }[] }[];
  /** Saved searches other queries can use by name, with the columns they return. */
  functions?: { name: string; description?: string; columns?: { name: string; type: string }[] }[];
}

export function catalogFromSchema(schema: SchemaAnswer): Catalog {
  const tables = new Map<string, TableSchema>(schema.tables.map((t) => [t.name, { name: t.name, description: t.description ?? '', columns: t.columns as TableSchema['columns'] }]));
  return { table: (name) => tables.get(name), tableNames: () => [...tables.keys()], functions: savedSearchShapes(schema) };
}

/**
 * The editor only needs a saved search's shape, not its query: an empty datatable with its
 * columns stands in for it, so `MySearch | where ‸` completes its columns and checks types.
 */
function savedSearchShapes(schema: SchemaAnswer): Map<string, StoredFunction> {
  const shapes = new Map<string, StoredFunction>();
  for (const f of schema.functions ?? []) {
    if (!f.columns || f.columns.length === 0) continue;
    const columns = f.columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(', ');
    shapes.set(f.name, { body: `datatable(${columns})[]`, description: f.description ?? '' });
  }
  return shapes;
}

/** A fixed clock keeps scope computations cacheable; types do not depend on `now()`. */
const fixedNow = new Date(0);

export function createCompletionSource(catalog: Catalog, cacheSize = 64): CompletionSource {
  const tables: TableInfo[] = catalog.tableNames().map((name) => {
    const t = catalog.table(name)!;
    return { name, description: t.description ?? '', columns: t.columns.map(({ name: n, type }) => ({ name: n, type })) };
  });
  // Saved searches are used where tables are: offer them there, with the columns they return.
  for (const [name, stored] of catalog.functions ?? []) {
    const compiled = compile(name, { catalog, now: fixedNow });
    if (compiled.ok) tables.push({ name, description: `Saved search. ${stored.description ?? ''}`.trim(), columns: compiled.columns.map(({ name: n, type }) => ({ name: n, type })) });
  }
  const functions = allFunctions().flatMap(functionInfos);
  const cache = new Map<string, readonly ColumnInfo[] | undefined>();
  return {
    tables: () => tables,
    functions: () => functions,
    columnsOf(text) {
      if (cache.has(text)) return cache.get(text);
      const compiled = compile(text, { catalog, now: fixedNow });
      const columns = compiled.ok ? compiled.columns.map(({ name, type }) => ({ name, type })) : undefined;
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(text, columns);
      return columns;
    },
  };
}

function functionInfos(spec: FunctionSpec): FunctionInfo[] {
  return [spec.name, ...(spec.aliases ?? [])].map((name) => ({
    name,
    kind: spec.kind,
    signature: signatureOf(name, spec),
    doc: spec.doc,
    noArguments: spec.args.length === 0,
  }));
}

export function signatureOf(name: string, spec: FunctionSpec): string {
  const args = spec.args.map(argText).join(', ');
  const returns = typeof spec.returns === 'string' ? spec.returns : 'depends on the arguments';
  return `${name}(${args}) → ${returns}`;
}

function argText(arg: ArgSpec): string {
  const type = typeof arg.type === 'string' ? arg.type : arg.type.join(' | ');
  const text = `${arg.name}: ${type}${arg.variadic ? ', …' : ''}`;
  return arg.optional ? `[${text}]` : text;
}
