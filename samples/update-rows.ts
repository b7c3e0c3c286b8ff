/**
 * A large Update table for benchmarks (e.g. 10M rows), generated entirely inside DuckDB with
 * INSERT … SELECT over range(): the sample fleet's machines and catalogue, assessed again and
 * again going back in time, three hours apart.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { planFleet, loadPlan, scratchTableNames } from './fleet-plan.js';
import { dropScratchTables } from './scratch-tables.js';
import { frac, minuteNs, ns, secondNs, sqlContext, str, timestamp, type SqlContext } from './sql-context.js';
import { machineUpdateStateSql } from './state-sql.js';

export interface UpdateRowsOptions {
  /** Machines the rows are spread over (default 10,000). */
  machines?: number;
  /** Time of the newest assessment (default 2024-06-01T00:00:00Z, so that runs are comparable). */
  end?: Date;
  onProgress?: (done: number, total: number) => void;
}

const rowsPerStep = 1_000_000;

/** Appends `rows` Update rows; returns the number written. Deterministic given (rows, seed, options). */
export async function generateUpdateRows(conn: DuckDBConnection, rows: number, seed = 1, options: UpdateRowsOptions = {}): Promise<number> {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`generateUpdateRows needs a whole number of rows above 0, got ${rows}`);
  const plan = planFleet(options.machines ?? 10_000, 1, seed, options.end ?? new Date('2024-06-01T00:00:00Z'));
  const ctx = sqlContext(plan);
  let written = 0;
  await conn.run('BEGIN TRANSACTION');
  try {
    await loadPlan(conn, plan);
    await conn.run(machineUpdateStateSql(ctx));
    await conn.run(widePairsSql(ctx));
    const pairs = Number((await conn.runAndReadAll('SELECT count(*) FROM _sample_pairs')).getRows()[0]?.[0]);
    for (let from = 0; from < rows; from += rowsPerStep) {
      const result = await conn.run(updateRowsSql(ctx, pairs, from, Math.min(rows, from + rowsPerStep)));
      written += result.rowsChanged;
      options.onProgress?.(written, rows);
    }
    await dropScratchTables(conn, ['_sample_pairs', '_sample_state', ...scratchTableNames]);
    await conn.run('COMMIT');
  } catch (error) {
    await conn.run('ROLLBACK');
    throw error;
  }
  return written;
}

/**
 * One row per (machine, applicable update) with every column the rows copy already joined:
 * the 10M-row insert then does one join and almost no work per row (twice as fast as joining
 * machines and catalogue per row).
 */
function widePairsSql(ctx: SqlContext): string {
  const offset = `(${frac(ctx, 'offset', 's.m')} * 170 * ${minuteNs})::BIGINT + (s.m % 60) * ${secondNs}`;
  return `CREATE OR REPLACE TEMP TABLE _sample_pairs AS
    SELECT (row_number() OVER (ORDER BY s.m, s.u) - 1)::BIGINT AS p, s.installed_ns IS NOT NULL AS settled, s.approved,
      ${offset} AS offset_ns, m.computer, m.sid, m.os_type, m.os_name, m.os_version, m.os_full_name, u.title, u.kbid,
      u.update_id, u.product, u.product_arch, u.product_version, u.classification, u.msrc_severity, u.optional,
      ${timestamp('u.published_ns')} AS published, u.reboot_behavior, u.package_repository, u.package_severity,
      u.cve_numbers, m.source_system, m.vm_uuid,
      CASE m.os_type WHEN 'Windows' THEN 'Installed' ELSE 'NotNeeded' END AS installed_state
    FROM _sample_state s JOIN _sample_machines m ON m.idx = s.m JOIN _sample_catalogue u ON u.idx = s.u`;
}

/** `pairs` is a literal: a subquery in the join condition would turn the hash join into a nested loop. */
export function updateRowsSql(ctx: SqlContext, pairs: number, from: number, to: number): string {
  const assessmentNs = `180 * ${minuteNs}`;
  return `INSERT INTO "Update" (TimeGenerated, Computer, SourceComputerId, OSType, OSName, OSVersion, OSFullName,
      Title, KBID, UpdateID, Product, ProductArch, ProductVersion, Classification, UpdateState, MSRCSeverity,
      Optional, Approved, PublishedDate, RebootBehavior, PackageRepository, PackageSeverity, CVENumbers,
      ComputerEnvironment, ManagementGroupName, SourceSystem, VMUUID, TenantId, Type)
    SELECT ${timestamp(`${ns(ctx.endNs)} - (r.i // ${pairs}) * ${assessmentNs} - p.offset_ns`)},
      p.computer, p.sid, p.os_type, p.os_name, p.os_version, p.os_full_name, p.title, p.kbid, p.update_id, p.product,
      p.product_arch, p.product_version, p.classification,
      CASE WHEN p.settled AND ${frac(ctx, 'state', 'r.i')} < 0.8 THEN p.installed_state ELSE 'Needed' END,
      p.msrc_severity, p.optional, p.approved, p.published, p.reboot_behavior, p.package_repository,
      p.package_severity, p.cve_numbers, 'On-premises', ${str(ctx.managementGroup)}, p.source_system, p.vm_uuid,
      ${str(ctx.tenantId)}, 'Update'
    FROM range(${from}, ${to}) r(i)
    JOIN _sample_pairs p ON p.p = r.i % ${pairs}`;
}
