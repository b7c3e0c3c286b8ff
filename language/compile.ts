/**
 * The public entry of the query engine: KQL text → diagnostics, or SQL plus the Kusto-typed
 * output schema and the render hint. Stages: parse (grammar/) → resolve (analyze/) → plan →
 * SQL (sql/emit.ts with a dialect).
 */
import { Codes, QueryError, diagnostic, type Diagnostic } from './syntax/diagnostics.js';
import { parse } from './syntax/parse.js';
import type { Script } from './syntax/ast.js';
import { createResolver } from './analyze/resolve.js';
import { bindLets } from './analyze/user-functions.js';
import { Bindings } from './analyze/scope.js';
import type { RenderSpec } from './values/result.js';
import { childRels, type Rel } from './plan/plan.js';
import { recordCatalog, type Catalog } from './schema/tables.js';
import type { Column } from './schema/types.js';
import type { Dialect } from './sql/dialect.js';
import { duckdb } from './sql/duckdb.js';
import { emitSql } from './sql/emit.js';

export interface CompileOptions {
  catalog?: Catalog;
  dialect?: Dialect;
  /** The query's `now()`; defaults to the current time. */
  now?: Date;
}

export type CompileResult =
  | { ok: true; sql: string; columns: Column[]; render: RenderSpec | null; plan: Rel; tables: string[]; diagnostics: Diagnostic[]; functions: string[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const { script, diagnostics } = parse(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics };
  try {
    return { ok: true, ...compileScript(script, text, options), diagnostics };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, diagnostics: [error.diagnostic] };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, diagnostics: [diagnostic(Codes.internal, { start: 0, end: text.length }, `Internal compiler error: ${message}. Please report this query.`)] };
  }
}

function compileScript(script: Script, text: string, options: CompileOptions) {
  const dialect = options.dialect ?? duckdb;
  const nowNs = BigInt((options.now ?? new Date()).getTime()) * 1_000_000n;
  const resolver = createResolver({ dialect, nowNs });
  const bindings = bindLets(script.statements, Bindings.root(options.catalog ?? recordCatalog), resolver);
  if (!script.query) {
    throw new QueryError(diagnostic(Codes.syntax, { start: text.length, end: text.length }, 'The script has no query: after the let statements, write a query such as `Heartbeat | take 10`.'));
  }
  const plan = resolver.tabular(script.query, bindings);
  // `functions`: the stored functions (saved searches) the query expanded, for usage checks.
  return { sql: emitSql(plan, dialect), columns: plan.schema, render: resolver.render ?? null, plan, tables: tablesOf(plan), functions: [...(resolver.usedFunctions ?? [])] };
}

/** The stored tables a plan reads; a query over inline data needs no database. */
export function tablesOf(rel: Rel): string[] {
  const found = new Set<string>();
  const visit = (r: Rel): void => {
    if (r.kind === 'table') found.add(r.table);
    for (const child of childRels(r)) visit(child);
  };
  visit(rel);
  return [...found];
}
