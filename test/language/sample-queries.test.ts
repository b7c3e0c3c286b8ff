/**
 * Every sample query, run through Upkeep on a fixed generated fleet, must return the same rows
 * as an independent hand-written SQL query over the same data.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSql } from '../../query/duckdb/run.js';
import { createRecordTables } from '../../records/store/duckdb-store.js';
import { generateSample } from '../../samples/generate.js';
import { kql } from './run.js';

const queriesDir = join(import.meta.dirname, '../../samples/queries');

const needed = `"UpdateState" = 'Needed' AND NOT "Optional"`;
const critSec = `"Classification" IN ('Security Updates', 'Critical Updates')`;

/** The hand-written SQL for each sample query, and whether its row order is defined. */
const expectedSql: Record<string, { sql: string; ordered: boolean }> = {
  '01-linux-onboarded.kql': {
    sql: `SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY "SourceComputerId" ORDER BY "TimeGenerated" DESC) AS rn FROM "Heartbeat" WHERE "OSType" = 'Linux') WHERE rn = 1 ORDER BY "Computer"`,
    ordered: true,
  },
  '02-windows-onboarded.kql': {
    sql: `SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER (PARTITION BY "SourceComputerId" ORDER BY "TimeGenerated" DESC) AS rn FROM "Heartbeat" WHERE "OSType" = 'Windows') WHERE rn = 1 ORDER BY "Computer"`,
    ordered: true,
  },
  '03-missing-required-updates.kql': {
    sql: `SELECT "Computer", "Title", "KBID", "Classification", "PublishedDate" FROM "Update" WHERE ${needed}`,
    ordered: false,
  },
  '04-missing-on-one-machine.kql': {
    sql: `SELECT "Computer", "Title", "KBID", "Product", "PublishedDate" FROM "Update" WHERE ${needed} AND "Computer" = 'ContosoVM1.contoso.com'`,
    ordered: false,
  },
  '05-errors-on-unpatched-machines.kql': {
    sql: `SELECT * FROM "Event" WHERE "EventLevelName" = 'error' AND "Computer" IN (SELECT "Computer" FROM "Update" WHERE ${critSec} AND ${needed})`,
    ordered: false,
  },
  '06-distinct-missing-updates.kql': {
    sql: `SELECT DISTINCT "Title" FROM "Update" WHERE ${needed}`,
    ordered: false,
  },
  '07-failed-update-runs.kql': {
    sql: `SELECT "Computer", "Title", "UpdateRunName", count(*) FROM "UpdateRunProgress" WHERE lower("InstallationStatus") = 'failed' GROUP BY ALL`,
    ordered: false,
  },
  '08-linux-critical-security-available.kql': {
    sql: `SELECT "Computer", count(*) FROM "Update" WHERE "OSType" = 'Linux' AND "UpdateState" <> 'Not needed' AND ${critSec} GROUP BY ALL`,
    ordered: false,
  },
  '09-machines-updated-by-run.kql': {
    sql: `SELECT "Computer", count(*) FROM "UpdateRunProgress" WHERE "UpdateRunName" = 'DeploymentName' GROUP BY ALL`,
    ordered: false,
  },
};

let connection: DuckDBConnection;

beforeAll(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await createRecordTables(connection);
  await generateSample(connection, { machines: 40, days: 2, seed: 7, end: new Date('2024-03-15T12:00:00Z') });
}, 120_000);

afterAll(() => connection?.closeSync());

const files = readdirSync(queriesDir).filter((f) => f.endsWith('.kql')).sort();

describe('sample queries agree with hand-written SQL', () => {
  it('has a hand-written query for every sample', () => {
    expect(Object.keys(expectedSql).sort()).toEqual(files);
  });

  it.each(files)('%s', async (file) => {
    const text = readFileSync(join(queriesDir, file), 'utf8');
    const actual = await kql(text, connection);
    const reference = expectedSql[file]!;
    // Queries returning whole rows list the columns in the order the KQL result has them.
    const sql = reference.sql.includes('SELECT *') ? `SELECT ${actual.columns.map((c) => `"${c.name}"`).join(', ')} FROM (${reference.sql})` : reference.sql;
    const expected = await runSql(connection, sql, actual.columns, { maxRows: 1_000_000 });
    expect(actual.rows.length).toBeGreaterThan(0);
    const canon = (rs: unknown[][]): string[] => rs.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    if (reference.ordered) expect(canon(actual.rows)).toEqual(canon(expected.rows));
    else expect(canon(actual.rows).sort()).toEqual(canon(expected.rows).sort());
  });
});
