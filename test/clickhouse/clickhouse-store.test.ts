/**
 * The ClickHouse store against the embedded DuckDB store: the same generated fleet is loaded
 * into both, the same queries run on both, and the answers must agree — columns, Kusto types,
 * values, and row order wherever the query sorts. Queries ClickHouse cannot run are listed and
 * must be refused at compile time (E402), never answered differently. Then one shard is
 * stopped: queries fail naming it, ingestion refuses, and nothing acknowledged is lost.
 * The cluster comes from global-setup.ts (two shards on loopback).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../contracts/ingest.js';
import { runQuery } from '../../query/run-query.js';
import { recordTables } from '../../language/schema/tables.js';
import { request, type ClickHouseNode } from '../../records/clickhouse/client.js';
import { restartShard, stopShard } from '../../records/clickhouse/cluster.js';
import { copyTableToClickHouse } from '../../records/clickhouse/copy-from-duckdb.js';
import { ensureClickHouseTables } from '../../records/clickhouse/ddl.js';
import { createClickHouseIngestor } from '../../records/clickhouse/ingestor.js';
import { createRecordTables } from '../../records/store/duckdb-store.js';
import { generateSample } from '../../samples/generate.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nodesOf, runOnClickHouse, testCluster } from './harness.js';

const now = new Date('2024-03-15T12:00:00Z');
const cluster = testCluster();

/** [label, query, ordered]: ordered answers compare row by row, others as sorted multisets. */
const agreeing: [string, string, boolean][] = [
  ['count', 'Heartbeat | count', true],
  ['where + project + sort', 'Update | where UpdateState == "Needed" and Optional == false | project Computer, Title, KBID | sort by Computer asc, KBID asc, Title asc | take 50', true],
  ['summarize by', 'Update | where UpdateState == "Needed" | summarize Missing = count() by Computer | sort by Computer asc', true],
  ['summarize many aggregates', 'Heartbeat | summarize n = count(), earliest = min(TimeGenerated), latest = max(TimeGenerated), lat = avg(RemoteIPLatitude), computers = dcount(Computer) by OSType | sort by OSType asc', true],
  ['countif / sumif', 'UpdateSummary | summarize crit = countif(CriticalUpdatesMissing > 0), total = sum(TotalUpdatesMissing), s = sumif(SecurityUpdatesMissing, RestartPending) by Computer | sort by Computer asc', true],
  ['bin 1h', 'Heartbeat | summarize n = count() by bin(TimeGenerated, 1h) | sort by TimeGenerated asc', true],
  ['bin 1d + key', 'Update | summarize n = count() by bin(TimeGenerated, 1d), Classification | sort by TimeGenerated asc, Classification asc', true],
  ['arg_max star', 'Update | summarize arg_max(TimeGenerated, *) by Computer | summarize count(), max(TimeGenerated)', true],
  ['arg_max named', 'Heartbeat | summarize arg_max(TimeGenerated, OSName, Version) by Computer | sort by Computer asc', true],
  ['distinct', 'Update | distinct Classification', false],
  ['in subquery', 'Update | where Computer in ((Event | where EventLevelName == "error" | distinct Computer)) | count', true],
  ['!in list', 'Update | where Classification !in ("Security Updates", "Critical Updates") | count', true],
  ['has term', 'Update | where Title has "security" | count', true],
  ['!has / contains / startswith', 'Update | summarize a = countif(Title !has "update"), b = countif(Title contains "KB"), c = countif(Computer startswith "WEB"), d = countif(Title endswith_cs ")")', true],
  ['=~ and !=', 'Heartbeat | where OSType =~ "LINUX" and Category != "nothing" | summarize count() by Computer | sort by Computer asc', true],
  ['top', 'Event | top 5 by TimeGenerated desc | project TimeGenerated, Computer, EventID', true],
  ['extend arithmetic', 'UpdateSummary | extend ratio = TotalUpdatesMissing * 2 - CriticalUpdatesMissing, half = TotalUpdatesMissing / 2 | project Computer, TimeGenerated, ratio, half | sort by TimeGenerated asc, Computer asc | take 20', true],
  ['datetime arithmetic', 'Heartbeat | summarize latest = max(TimeGenerated) by Computer | extend age = datetime(2024-03-15) - latest, shifted = latest + 1h | sort by Computer asc', true],
  ['ago', 'Event | where TimeGenerated > ago(1d) | count', true],
  ['iff + isempty + strlen', 'Heartbeat | summarize by Computer, ComputerIP | extend hasIp = iff(isempty(ComputerIP), "no", "yes"), n = strlen(Computer), upper = toupper(Computer) | sort by Computer asc, ComputerIP asc', true],
  ['join inner', 'UpdateSummary | summarize arg_max(TimeGenerated, TotalUpdatesMissing) by Computer | join kind=inner (Heartbeat | summarize beats = count() by Computer) on Computer | project Computer, TotalUpdatesMissing, beats | sort by Computer asc', true],
  ['join leftouter', 'Heartbeat | summarize by Computer | join kind=leftouter (Event | where EventLevelName == "error" | summarize errors = count() by Computer) on Computer | project Computer, errors | sort by Computer asc', true],
  ['leftanti', 'Heartbeat | summarize by Computer | join kind=leftanti (Event | where EventLevelName == "error" | distinct Computer) on Computer | sort by Computer asc', true],
  ['union', 'union (Heartbeat | summarize n = count()), (Event | summarize n = count()) | sort by n asc', true],
  ['datatable', 'datatable(a:long, b:string)[1, "x", 2, "y"] | where a > 1', true],
  ['range', 'range i from 1 to 5 step 2', true],
  ['fullouter join', 'Heartbeat | summarize by Computer | join kind=fullouter (Event | summarize by Computer) on Computer', false],
  ['rightouter join', 'Heartbeat | summarize by Computer | join kind=rightouter (Event | where EventLevelName == "error" | summarize n = count() by Computer) on Computer', false],
  ['rightanti join', 'Heartbeat | where OSType == "Linux" | summarize by Computer | join kind=rightanti (Event | summarize n = count() by Computer) on Computer', false],
  ['percentile', 'Update | summarize p = percentile(InstallTimePredictionSeconds, 50), q = percentile(InstallTimePredictionSeconds, 90) by Classification | sort by Classification asc', true],
  ['strcat + datetime parts', 'Heartbeat | summarize n = count() by c = strcat(Computer, "/", getyear(TimeGenerated), "-", getmonth(TimeGenerated), "-", hourofday(TimeGenerated)) | sort by c asc', true],
  ['make_set per machine', 'Heartbeat | summarize s = make_set(OSType) by Computer | sort by Computer asc', true],
  ['startofday + dcount', 'Update | summarize machines = dcount(Computer) by day = startofday(TimeGenerated) | sort by day asc', true],
  ['bool column and nulls', 'Update | summarize opt = countif(Optional), approved = countif(Approved == true) by Classification | sort by Classification asc', true],
];

/** Queries the ClickHouse store refuses at compile time (E402), with why. */
const refused: [string, string][] = [
  ['mv-expand (no JSON arrays in 18.16)', 'Heartbeat | mv-expand ComputerPrivateIPs | take 1'],
  ['make-series', 'Heartbeat | make-series n = count() on TimeGenerated step 1h'],
  ['dynamic property access', 'Heartbeat | extend ip = ComputerPrivateIPs[0] | take 1'],
  ['function without a ClickHouse form (pack_array)', 'Heartbeat | extend x = pack_array(Computer, 1) | take 1'],
  ['window function (row_number)', 'Heartbeat | sort by TimeGenerated asc | serialize n = row_number() | take 1'],
];

const samplesDir = join(import.meta.dirname, '../../samples/queries');
/** Every sample query; the ones that sort compare in order. */
const samples: [string, string, boolean][] = readdirSync(samplesDir).filter((f) => f.endsWith('.kql')).sort()
  .map((f) => {
    const text = readFileSync(join(samplesDir, f), 'utf8');
    return [f, text, /\|\s*(sort|order) by|\|\s*top /.test(text)];
  });

function sortedRows(rows: unknown[][]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
}

describe.skipIf(!cluster).sequential('ClickHouse store', () => {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  let nodes: ClickHouseNode[];

  beforeAll(async () => {
    nodes = nodesOf(cluster!);
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    await createRecordTables(conn);
    await generateSample(conn, { machines: 24, days: 2, seed: 7, end: now });
    await ensureClickHouseTables(nodes);
    await ensureClickHouseTables(nodes); // idempotent
    for (const table of recordTables) await copyTableToClickHouse(conn, nodes[0]!, table.name);
  }, 60_000);

  afterAll(() => {
    conn?.closeSync();
    instance?.closeSync();
  });

  it('spreads the data over both shards by Computer', async () => {
    const counts = await Promise.all(nodes.map(async (n) => Number(await request(n, 'SELECT count() FROM "Heartbeat_local"'))));
    expect(counts.every((c) => c > 0)).toBe(true);
    const perShard = await Promise.all(nodes.map(async (n) => (await request(n, 'SELECT DISTINCT Computer FROM "Heartbeat_local"')).split('\n').filter(Boolean)));
    expect(perShard[0]!.filter((c) => perShard[1]!.includes(c))).toEqual([]); // one machine lives on one shard
  });

  it.each(agreeing)('agrees with DuckDB: %s', async (_label, text, ordered) => {
    const duck = await runQuery(text, { now, connection: conn });
    const ch = await runOnClickHouse(nodes, text, { now });
    if (!duck.ok) throw new Error(`DuckDB: ${JSON.stringify(duck.diagnostics)}`);
    if (!ch.ok) throw new Error(`ClickHouse: ${JSON.stringify(ch.diagnostics)}`);
    expect(ch.result.columns).toEqual(duck.result.columns);
    expect(duck.result.rows.length).toBeGreaterThan(0);
    if (ordered) expect(ch.result.rows).toEqual(duck.result.rows);
    else expect(sortedRows(ch.result.rows)).toEqual(sortedRows(duck.result.rows));
  });

  it.each(samples)('sample query agrees with DuckDB: %s', async (_file, text, ordered) => {
    const duck = await runQuery(text, { now, connection: conn });
    const ch = await runOnClickHouse(nodes, text, { now });
    if (!duck.ok) throw new Error(`DuckDB: ${JSON.stringify(duck.diagnostics)}`);
    if (!ch.ok) throw new Error(`ClickHouse: ${JSON.stringify(ch.diagnostics)}`);
    expect(ch.result.columns).toEqual(duck.result.columns);
    if (ordered) expect(ch.result.rows).toEqual(duck.result.rows);
    else expect(sortedRows(ch.result.rows)).toEqual(sortedRows(duck.result.rows));
  });

  it.each(refused)('refuses at compile time: %s', async (_label, text) => {
    const duck = await runQuery(text, { now, connection: conn });
    expect(duck.ok).toBe(true); // valid Kusto that DuckDB answers
    const ch = await runOnClickHouse(nodes, text, { now });
    expect(ch.ok).toBe(false);
    if (ch.ok) return;
    expect(ch.diagnostics[0]!.code).toBe('E402');
    expect(ch.diagnostics[0]!.message).toMatch(/not supported on the ClickHouse store/);
  });

  it('ingests through the Distributed table, dedupes batch ids, and keeps Kusto values', async () => {
    const ingestor = await createClickHouseIngestor(nodes, { workspaceId: 'ws-1', now: () => now });
    const records = Array.from({ length: 40 }, (_, i) => ({
      TimeGenerated: `2024-03-15T10:00:00.${String(i).padStart(7, '0')}Z`,
      Computer: `ingest-${i % 7}`,
      Category: 'Direct Agent',
      IsGatewayInstalled: i % 2 === 0,
      ComputerPrivateIPs: ['10.0.0.1'],
      RemoteIPLatitude: i / 4,
    }));
    expect(await ingestor.ingestJsonText('Heartbeat', JSON.stringify(records), { batchId: 'b-1' })).toEqual({ stored: 40, duplicateBatch: false });
    expect(await ingestor.ingestJson('Heartbeat', records, { batchId: 'b-1' })).toEqual({ stored: 0, duplicateBatch: true });
    await expect(ingestor.ingestJson('Heartbeat', [{ Computr: 'x' }])).rejects.toThrow(/Computr/);
    const ch = await runOnClickHouse(nodes, 'Heartbeat | where Computer startswith "ingest-" | summarize n = count(), latest = max(TimeGenerated), t = take_any(TenantId) | project n, latest, t', { now });
    expect(ch.ok && ch.result.rows).toEqual([[40, '2024-03-15T10:00:00.0000039Z', 'ws-1']]);
  });

  it('a stopped shard: queries fail naming it, ingestion refuses, nothing acknowledged is lost', async () => {
    const ingestor = await createClickHouseIngestor(nodes, { workspaceId: 'ws-1', now: () => now });
    const batch = (tag: string) => Array.from({ length: 30 }, (_, i) => ({ TimeGenerated: '2024-03-15T11:00:00Z', Computer: `${tag}-${i}` }));
    expect((await ingestor.ingestJson('Heartbeat', batch('before'))).stored).toBe(30);
    const shard2 = cluster!.shards[1]!;
    await stopShard(shard2);
    try {
      const down = await runOnClickHouse(nodes.slice(0, 1), 'Heartbeat | count', { now });
      expect(down.ok).toBe(false);
      if (!down.ok) expect(down.diagnostics[0]!.message).toMatch(new RegExp(`shard 2 \\(127\\.0\\.0\\.1:${shard2.tcpPort}\\) is unavailable`));
      const refusedIngest = ingestor.ingestJson('Heartbeat', batch('during'), { batchId: 'during' });
      await expect(refusedIngest).rejects.toBeInstanceOf(IngestError);
      await expect(refusedIngest).rejects.toMatchObject({ problem: { status: 503 } });
    } finally {
      cluster!.shards[1] = await restartShard(shard2);
    }
    const after = await runOnClickHouse(nodes, 'Heartbeat | where Computer startswith "before-" | count', { now });
    expect(after.ok && after.result.rows).toEqual([[30]]);
    // the refused batch may have reached the live shard (no cross-shard transaction): a retry stores the rest
    expect((await ingestor.ingestJson('Heartbeat', batch('during'), { batchId: 'during' })).stored).toBe(30);
    const during = await runOnClickHouse(nodes, 'Heartbeat | where Computer startswith "during-" | summarize dcount(Computer)', { now });
    expect(during.ok && during.result.rows).toEqual([[30]]);
  }, 60_000);
});
