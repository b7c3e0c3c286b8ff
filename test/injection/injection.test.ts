/**
 * Injection properties: arbitrary text as a string literal (every quoting form), as a column or
 * table name, as a saved search's name or inside its body never changes the shape of the SQL —
 * the statement compiled with the text has the same token skeleton as the one compiled with a
 * harmless twin of it (quotes and NUL replaced) — and never makes the query read another table.
 * Refusals are diagnostics with a range inside the text, never an internal error.
 */
import fc from 'fast-check';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codes } from '../../language/syntax/diagnostics.js';
import { compile, type CompileResult } from '../../language/compile.js';
import { openQueryConnection } from '../../query/duckdb/read-only.js';
import { runSql } from '../../query/duckdb/run.js';
import { catalogWithFunctions, nameProblems } from '../../app/saved/validate.js';
import { recordCatalog, type Catalog } from '../../language/schema/tables.js';
import { createRecordTables } from '../../records/store/duckdb-store.js';
import { textArbitrary } from '../fuzz/picker.js';
import { attackStrings, literalContexts, nameContexts, type InjectionContext } from './contexts.js';
import { kqlString, quoteForms, type QuoteForm } from './kql-quoting.js';
import { skeleton, sqlTokens } from './sql-skeleton.js';

const now = new Date('2024-06-01T12:00:00Z');
const seed = Number(process.env.FUZZ_SEED ?? 8_2024);
const runs = Number(process.env.INJECTION_RUNS ?? 40);

const hostile: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...attackStrings) },
  { weight: 3, arbitrary: textArbitrary(24) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...attackStrings), textArbitrary(6)).map(([a, b]) => a + b) },
);

/** The same text without the characters an injection needs: the shape it must compile to. */
function twin(value: string): string {
  return value.replace(/['"\u0000]/g, '-');
}

function expectProperRefusal(result: CompileResult, text: string): void {
  for (const d of result.diagnostics) {
    expect(d.code, `${d.message}\nin ${JSON.stringify(text)}`).not.toBe(Codes.internal);
    expect(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length, JSON.stringify(d)).toBe(true);
  }
  if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
}

function allowedTables(context: InjectionContext, value: string): readonly string[] {
  return typeof context.tables === 'function' ? context.tables(value) : context.tables;
}

interface Tally {
  compared: number;
  cases: number;
}

/** Compiles the context with the value and with its twin; checks refusals, tables and shape. */
function checkContext(context: InjectionContext, value: string, form: QuoteForm, wrap: (lit: string) => string, catalogFor: (v: string) => Catalog, tally: Tally): void {
  const lit = kqlString(value, form);
  const twinLit = kqlString(twin(value), form);
  if (lit === undefined || twinLit === undefined) return;
  tally.cases++;
  const text = context.query(wrap(lit));
  const twinText = context.query(wrap(twinLit));
  const result = compile(text, { now, catalog: catalogFor(value) });
  const twinResult = compile(twinText, { now, catalog: catalogFor(twin(value)) });
  expectProperRefusal(result, text);
  expectProperRefusal(twinResult, twinText);
  if (!result.ok) return;
  const allowed = allowedTables(context, value);
  expect(result.tables.filter((t) => !allowed.includes(t)), `tables read by ${JSON.stringify(text)}`).toEqual([]);
  expect(sqlTokens(result.sql).filter((t) => t.kind === 'comment'), result.sql).toEqual([]);
  if (!twinResult.ok) return;
  tally.compared++;
  expect(skeleton(result.sql), `${JSON.stringify(text)}\n${result.sql}\nvs ${twinResult.sql}`).toEqual(skeleton(twinResult.sql));
}

const plainCatalog = () => recordCatalog;

describe('arbitrary text as a string literal never changes the SQL shape', () => {
  describe.each(quoteForms)('written %s', (form) => {
    it.each(literalContexts.map((c) => [c.name, c] as const))('in %s', (_name, context) => {
      const tally: Tally = { compared: 0, cases: 0 };
      fc.assert(fc.property(hostile, (value) => checkContext(context, value, form, (l) => l, plainCatalog, tally)), { numRuns: runs, seed });
      expect(tally.cases).toBeGreaterThan(0);
    });
  });
});

describe('arbitrary text as a bracketed name never changes the SQL shape nor the tables read', () => {
  describe.each(['double', 'single', 'verbatim-double', 'verbatim-single'] as const)('written [%s]', (form) => {
    it.each(nameContexts.map((c) => [c.name, c] as const))('in %s', (_name, context) => {
      const tally: Tally = { compared: 0, cases: 0 };
      fc.assert(fc.property(hostile, (value) => checkContext(context, value, form, (l) => l, plainCatalog, tally)), { numRuns: runs, seed });
      expect(tally.cases).toBeGreaterThan(0);
    });
  });
});

describe('saved searches (stored functions)', () => {
  const body = 'Heartbeat | where OSType == "Linux" | take 5';
  const named = (value: string) => catalogWithFunctions(recordCatalog, new Map([[value, { body }]]));
  const tables = (value: string) => (recordCatalog.table(value) ? [value] : ['Heartbeat']);

  it('an arbitrary name, used as [name], reads only what the body reads and keeps the SQL shape', () => {
    const context: InjectionContext = { name: 'stored function', query: (l) => `[${l}] | count`, tables };
    const tally: Tally = { compared: 0, cases: 0 };
    fc.assert(fc.property(hostile, (value) => checkContext(context, value, 'double', (l) => l, named, tally)), { numRuns: runs * 5, seed });
    expect(tally.compared).toBeGreaterThan(runs);
  });

  it('arbitrary text inside a saved search body stays a literal', () => {
    const context: InjectionContext = { name: 'body literal', query: () => 'Linux | count', tables: ['Heartbeat'] };
    const tally: Tally = { compared: 0, cases: 0 };
    fc.assert(
      fc.property(hostile, fc.constantFrom(...quoteForms), (value, form) => {
        const lit = kqlString(value, form);
        fc.pre(lit !== undefined);
        const catalogFor = (v: string) => catalogWithFunctions(recordCatalog, new Map([['Linux', { body: `Heartbeat | where Computer has ${kqlString(v, form)} | take 5` }]]));
        checkContext(context, value, form, (l) => l, catalogFor, tally);
      }),
      { numRuns: runs * 5, seed },
    );
    expect(tally.compared).toBeGreaterThan(runs);
  });

  it('only identifiers can be saved as names: any other text is refused with a suggestion', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const problems = nameProblems(value.trim(), recordCatalog);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.trim())) expect(problems.length, JSON.stringify(value)).toBeGreaterThan(0);
      }),
      { numRuns: runs * 5, seed },
    );
  });
});

/** Text as DuckDB stores it: without NUL (it cannot hold one), lone surrogates as U+FFFD (UTF-8 cannot). */
function asStored(value: string): string {
  return value.replaceAll('\u0000', '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

describe('round trip: the text reaches the database exactly', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    const writer = await instance.connect();
    await createRecordTables(writer);
    writer.closeSync();
    conn = await openQueryConnection(instance);
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });

  it.each(quoteForms)('a %s string literal comes back as the same value', async (form) => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const lit = kqlString(value, form);
        fc.pre(lit !== undefined);
        const result = compile(`print x = ${lit}`, { now });
        if (!result.ok) throw new Error(`${lit}: ${result.diagnostics[0]?.message}`);
        const { rows } = await runSql(conn, result.sql, result.columns, { maxRows: 1 });
        expect(rows[0]?.[0]).toBe(asStored(value));
      }),
      { numRuns: runs * 3, seed },
    );
  });

  it.each(['double', 'verbatim-single'] as const)('a bracketed [%s] column name comes back as the column name', async (form) => {
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        const lit = kqlString(value, form);
        fc.pre(lit !== undefined);
        const text = `print [${lit}] = 1`;
        const result = compile(text, { now });
        expectProperRefusal(result, text);
        if (!result.ok) return;
        expect(result.columns.map((c) => c.name)).toEqual([value]);
        const { rows } = await runSql(conn, result.sql, result.columns, { maxRows: 1 });
        expect(rows).toEqual([[1]]);
      }),
      { numRuns: runs * 3, seed },
    );
  });
});
