/** Every `kql` code block in README.md and docs/ runs without error on the sample fleet. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordTables } from '../../records/store/duckdb-store.js';
import { generateSample } from '../../samples/generate.js';
import { kql } from './run.js';

const root = join(import.meta.dirname, '../..');
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function kqlBlocks(file: string): { file: string; index: number; text: string }[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/```kql\n([\s\S]*?)```/g)].map((m, index) => ({ file, index, text: m[1]! }));
}

/** The query `npm start` shows is documentation too. */
const startQuery = { file: 'samples/compliance-overview.kql', index: 0, text: readFileSync(join(root, 'samples/compliance-overview.kql'), 'utf8') };
const blocks = [...documents.flatMap(kqlBlocks), startQuery];
let connection: DuckDBConnection;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await createRecordTables(connection);
  await generateSample(connection, { machines: 20, days: 2, seed: 3, end: new Date('2024-03-15T12:00:00Z') });
}, 120_000);

afterAll(() => connection?.closeSync());

describe('documentation examples run', () => {
  it('finds the examples', () => expect(blocks.length).toBeGreaterThan(5));
  it.each(blocks.map((b) => [`${b.file} #${b.index + 1}`, b.text]))('%s', async (_name, text) => {
    const result = await kql(text, connection);
    expect(result.columns.length).toBeGreaterThan(0);
  });
});
