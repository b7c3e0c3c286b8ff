/**
 * Runs one KQL query on both stores and checks the answers agree: the same columns (names and
 * Kusto types) and the same rows — in the same order, or as the same multiset where the query
 * leaves the order open.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../language/syntax/diagnostics.js';
import type { QueryResult } from '../../language/values/result.js';
import { runQuery } from '../../query/run-query.js';
import { runOnClickHouse } from './harness.js';
import type { ClickHouseNode } from '../../records/clickhouse/client.js';

export const caseNow = new Date('2024-03-15T12:00:00Z');

export interface Stores {
  duck: DuckDBConnection;
  nodes: readonly ClickHouseNode[];
}

function failure(store: string, text: string, diagnostics: Diagnostic[]): Error {
  return new Error(`${store}: ${diagnostics.map((d) => `${d.code} ${formatDiagnostic(text, d)}`).join('\n')}`);
}

export async function onDuckDB(stores: Stores, text: string): Promise<QueryResult> {
  const outcome = await runQuery(text, { now: caseNow, connection: stores.duck });
  if (!outcome.ok) throw failure('DuckDB', text, outcome.diagnostics);
  return outcome.result;
}

export async function onClickHouse(stores: Stores, text: string): Promise<QueryResult> {
  const outcome = await runOnClickHouse(stores.nodes, text, { now: caseNow });
  if (!outcome.ok) throw failure('ClickHouse', text, outcome.diagnostics);
  return outcome.result;
}

/** The diagnostics ClickHouse gives for a query it must refuse (fails if it runs). */
export async function clickHouseRefusal(stores: Stores, text: string): Promise<Diagnostic[]> {
  const outcome = await runOnClickHouse(stores.nodes, text, { now: caseNow });
  if (outcome.ok) throw new Error(`ClickHouse ran a query listed as unsupported: ${text}`);
  return outcome.diagnostics;
}

const canon = (row: unknown[]): string => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v.toString()}n` : v));

/** Both stores' answers to `text`; asserts they agree and returns DuckDB's. */
export async function expectAgreement(stores: Stores, text: string, ordered: boolean): Promise<QueryResult> {
  const duck = await onDuckDB(stores, text);
  const ch = await onClickHouse(stores, text);
  expect(ch.columns, 'columns (names and Kusto types)').toEqual(duck.columns);
  if (ordered) expect(ch.rows.map(canon), 'rows in order').toEqual(duck.rows.map(canon));
  else expect(ch.rows.map(canon).sort(), 'rows (any order)').toEqual(duck.rows.map(canon).sort());
  return duck;
}
