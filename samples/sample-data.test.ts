/** The default fleet holds the data every sample query in samples/queries/ is about, and is consistent with itself. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordTables } from '../language/schema/tables.js';
import { namedRun } from './deployment-runs.js';
import { namedMachine } from './fleet-machines.js';
import { defaultSampleOptions, generateSample } from './generate.js';
import { count, emptyDatabase, rows } from './testing.js';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await emptyDatabase();
  await generateSample(conn, { ...defaultSampleOptions, end: new Date('2024-06-01T12:34:00Z') });
});

const neededRequired = `UpdateState = 'Needed' AND NOT Optional`;

describe('each sample query finds rows on the default fleet', () => {
  it.each([
    ['01 Linux onboarded', `SELECT count(DISTINCT SourceComputerId) FROM Heartbeat WHERE OSType = 'Linux'`],
    ['02 Windows onboarded', `SELECT count(DISTINCT SourceComputerId) FROM Heartbeat WHERE OSType = 'Windows'`],
    ['03 missing required updates', `SELECT count(*) FROM "Update" WHERE ${neededRequired}`],
    ['04 missing on the named machine', `SELECT count(*) FROM "Update" WHERE ${neededRequired} AND Computer = '${namedMachine}'`],
    ['05 errors on unpatched machines', `SELECT count(*) FROM Event WHERE EventLevelName = 'error' AND Computer IN (
        SELECT Computer FROM "Update" WHERE Classification IN ('Security Updates', 'Critical Updates') AND ${neededRequired})`],
    ['06 distinct missing updates', `SELECT count(DISTINCT Title) FROM "Update" WHERE ${neededRequired}`],
    ['07 failed update runs (=~ "failed")', `SELECT count(*) FROM UpdateRunProgress WHERE lower(InstallationStatus) = 'failed'`],
    ['08 Linux critical/security available', `SELECT count(DISTINCT Computer) FROM "Update" WHERE OSType = 'Linux'
        AND UpdateState <> 'Not needed' AND Classification IN ('Critical Updates', 'Security Updates')`],
    ['09 machines updated by the named run', `SELECT count(DISTINCT Computer) FROM UpdateRunProgress WHERE UpdateRunName = '${namedRun}'`],
  ])('%s', async (_name, sql) => {
    expect(await count(conn, sql)).toBeGreaterThan(0);
  });

  it('stores InstallationStatus capitalised, so == "failed" finds nothing and =~ finds the failures', async () => {
    expect(await count(conn, `SELECT count(*) FROM UpdateRunProgress WHERE InstallationStatus = 'failed'`)).toBe(0);
    expect(await count(conn, `SELECT count(*) FROM UpdateRunProgress WHERE InstallationStatus = 'Failed' AND ErrorResult <> ''`)).toBeGreaterThan(0);
  });
});

describe('fleet make-up', () => {
  it('mixes Windows Server and Linux distributions', async () => {
    const names = (await rows(conn, 'SELECT DISTINCT OSName FROM Heartbeat')).map((r) => String(r.OSName));
    expect(names.some((n) => n.startsWith('Windows Server 20'))).toBe(true);
    for (const distro of ['Ubuntu', 'Debian', 'Red Hat Enterprise Linux']) expect(names).toContain(distro);
  });

  it('has the named machine on Windows, connected, with required updates missing', async () => {
    const [m] = await rows(conn, `SELECT any_value(OSType) AS os, max(TimeGenerated)::VARCHAR AS last FROM Heartbeat WHERE Computer = '${namedMachine}'`);
    expect(m?.os).toBe('Windows');
    expect(String(m?.last)).toMatch(/^2024-06-01 12:34/);
  });

  it('has machines that stopped sending heartbeats and machines never assessed', async () => {
    expect(await count(conn, `SELECT count(*) FROM (SELECT Computer FROM Heartbeat GROUP BY Computer HAVING max(TimeGenerated) < TIMESTAMP '2024-06-01 11:00:00')`)).toBeGreaterThan(0);
    expect(await count(conn, `SELECT count(DISTINCT Computer) FROM Heartbeat WHERE Computer NOT IN (SELECT Computer FROM UpdateSummary)`)).toBeGreaterThan(0);
  });

  it('writes Windows KBs with digits-only KBID and Linux packages with repositories and CVEs', async () => {
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE OSType = 'Windows' AND KBID <> '' AND NOT regexp_full_match(KBID, '[0-9]+')`)).toBe(0);
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE Title LIKE '%Cumulative Update for Windows Server 2019 for x64-based Systems (KB%)'`)).toBeGreaterThan(0);
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE PackageRepository LIKE '%-security' AND CVENumbers LIKE 'CVE-%'`)).toBeGreaterThan(0);
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE OSType = 'Linux' AND UpdateState = 'Installed'`)).toBe(0);
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE OSType = 'Windows' AND UpdateState = 'NotNeeded'`)).toBe(0);
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE Optional`)).toBeGreaterThan(0);
    expect(await count(conn, `SELECT count(*) FROM "Update" WHERE NOT Approved`)).toBeGreaterThan(0);
  });

  it('writes event levels with their lowercase names', async () => {
    const levels = await rows(conn, 'SELECT DISTINCT EventLevel::INTEGER AS level, EventLevelName AS name FROM Event ORDER BY level');
    expect(levels).toEqual([{ level: 1, name: 'error' }, { level: 2, name: 'warning' }, { level: 4, name: 'information' }]);
  });

  it('never stores a NULL string', async () => {
    for (const t of recordTables) {
      const strings = t.columns.filter((c) => c.type === 'string').map((c) => `"${c.name}" IS NULL`);
      expect(await count(conn, `SELECT count(*) FROM "${t.name}" WHERE ${strings.join(' OR ')}`), t.name).toBe(0);
    }
  });
});

describe('referential consistency', () => {
  it('counts in UpdateSummary equal the required missing updates of the same assessment', async () => {
    const mismatches = await count(conn, `
      WITH u AS (
        SELECT Computer, TimeGenerated,
          count(*) FILTER (WHERE ${neededRequired} AND Classification = 'Critical Updates') AS critical,
          count(*) FILTER (WHERE ${neededRequired} AND Classification = 'Security Updates') AS security,
          count(*) FILTER (WHERE ${neededRequired} AND Classification NOT IN ('Critical Updates', 'Security Updates')) AS other
        FROM "Update" GROUP BY ALL)
      SELECT count(*) FROM UpdateSummary s LEFT JOIN u USING (Computer, TimeGenerated)
      WHERE s.CriticalUpdatesMissing <> coalesce(u.critical, 0) OR s.SecurityUpdatesMissing <> coalesce(u.security, 0)
         OR s.OtherUpdatesMissing <> coalesce(u.other, 0)
         OR s.TotalUpdatesMissing <> coalesce(u.critical + u.security + u.other, 0)`);
    expect(mismatches).toBe(0);
    expect(await count(conn, `SELECT count(*) FROM (SELECT DISTINCT Computer, TimeGenerated FROM "Update") LEFT JOIN UpdateSummary USING (Computer, TimeGenerated) WHERE UpdateSummary.Computer IS NULL`)).toBe(0);
  });

  it('only reports machines that send heartbeats', async () => {
    for (const table of ['Update', 'UpdateSummary', 'UpdateRunProgress', 'Event']) {
      expect(await count(conn, `SELECT count(DISTINCT Computer) FROM "${table}" WHERE Computer NOT IN (SELECT Computer FROM Heartbeat)`), table).toBe(0);
    }
  });

  it('assesses Windows every 12 hours and Linux every 3 hours, plus around deployment runs', async () => {
    const gaps = await rows(conn, `
      SELECT OSType, median(gap)::INTEGER AS minutes FROM (
        SELECT u.Computer, h.OSType, (epoch(u.TimeGenerated) - epoch(lag(u.TimeGenerated) OVER (PARTITION BY u.Computer ORDER BY u.TimeGenerated))) / 60 AS gap
        FROM UpdateSummary u JOIN (SELECT DISTINCT Computer, OSType FROM Heartbeat) h USING (Computer))
      WHERE gap IS NOT NULL GROUP BY OSType ORDER BY OSType`);
    expect(gaps).toEqual([{ OSType: 'Linux', minutes: 180 }, { OSType: 'Windows', minutes: 720 }]);
  });

  it('shows what a run installed as Installed / NotNeeded in the assessments after it', async () => {
    const stale = await count(conn, `
      SELECT count(*) FROM UpdateRunProgress p JOIN "Update" u ON u.Computer = p.Computer AND u.UpdateID = p.UpdateId
      WHERE p.InstallationStatus = 'Succeeded' AND u.TimeGenerated > p.EndTime AND u.UpdateState = 'Needed'`);
    expect(stale).toBe(0);
    const installedByRuns = await count(conn, `
      SELECT count(*) FROM UpdateRunProgress p JOIN "Update" u ON u.Computer = p.Computer AND u.UpdateID = p.UpdateId
      WHERE p.InstallationStatus = 'Succeeded' AND u.TimeGenerated > p.EndTime AND u.UpdateState IN ('Installed', 'NotNeeded')`);
    expect(installedByRuns).toBeGreaterThan(0);
  });

  it('walks each run item through NotStarted, then InProgress, then an outcome', async () => {
    const sequences = await rows(conn, `
      SELECT string_agg(InstallationStatus, '>' ORDER BY TimeGenerated, InstallationStatus = 'NotStarted' DESC) AS path, count(*) AS n
      FROM UpdateRunProgress GROUP BY CorrelationId, Computer, UpdateId`);
    const paths = new Set(sequences.map((s) => String(s.path)));
    for (const path of paths) expect(path).toMatch(/^NotStarted>(InProgress>(Succeeded|Failed)|MaintenanceWindowExceeded)$/);
    expect(paths).toContain('NotStarted>InProgress>Failed');
    expect(paths).toContain('NotStarted>MaintenanceWindowExceeded');
  });
});
