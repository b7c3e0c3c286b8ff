/** The shape of a query's answer, shared by the CLI, the workbench and the tests (plain data). */
import type { Column } from '../schema/types.js';

/** A JSON value, as a `dynamic` column holds it. Integers beyond 2^53 inside it may lose precision. */
export type DynamicJson = null | boolean | number | string | DynamicJson[] | { [key: string]: DynamicJson };

/**
 * One cell, typed by its column's Kusto type (see values.ts for the exact mapping):
 * datetime and timespan are Kusto-formatted strings, long is a number when it is a safe
 * integer and a bigint beyond ±(2^53 − 1), real's NaN/±Infinity are the strings Kusto prints,
 * decimal is an exact string, string is never null, dynamic is parsed JSON.
 */
export type ResultValue = null | boolean | number | bigint | string | DynamicJson;

/** `render <visualization> with (...)`: kept as result metadata for the workbench to draw. */
export interface RenderSpec {
  visualization: string;
  properties: Record<string, string | number | boolean | string[]>;
}

export interface QueryResult {
  columns: Column[];
  rows: ResultValue[][];
  /** True when the query produced more than the row limit and only the first rows are kept. */
  truncated: boolean;
  render: RenderSpec | null;
  stats: { durationMs: number; rowCount: number };
}
