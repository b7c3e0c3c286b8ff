/**
 * The JS side of the sample fleet: everything small (machines, catalogue, runs) is decided
 * here with the seeded generator, then loaded into temporary tables for the SQL side.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { nsPerMinute, msToNs, type CatalogueUpdate } from './catalogue-types.js';
import { buildRuns, namedRun, type DeploymentRun } from './deployment-runs.js';
import { eventTemplates } from './event-templates.js';
import { buildMachines, type SampleMachine } from './fleet-machines.js';
import { linuxCatalogue } from './linux-catalogue.js';
import { Prng } from './prng.js';
import { createScratchTable, type ScratchValue } from './scratch-tables.js';
import { windowsCatalogue } from './windows-catalogue.js';

export interface FleetPlan {
  seed: number;
  workspaceId: string;
  /** Heartbeat minutes in the window; minute 0 starts at windowStartNs, the last is the end minute. */
  minutes: number;
  windowStartNs: bigint;
  endNs: bigint;
  machines: SampleMachine[];
  catalogue: CatalogueUpdate[];
  runs: DeploymentRun[];
}

export const scratchTableNames = ['_sample_machines', '_sample_catalogue', '_sample_runs', '_sample_run_classes', '_sample_run_errors', '_sample_event_templates'];

export function planFleet(machineCount: number, days: number, seed: number, end: Date): FleetPlan {
  const root = new Prng(seed);
  const minutes = days * 1440;
  const endMinuteNs = msToNs(Math.floor(end.getTime() / 60_000) * 60_000);
  const windowStartNs = endMinuteNs - BigInt(minutes - 1) * nsPerMinute;
  return {
    seed: seed >>> 0,
    workspaceId: root.fork('workspace').guid(),
    minutes,
    windowStartNs,
    endNs: endMinuteNs + 59n * 1_000_000_000n,
    machines: buildMachines(machineCount, minutes, root.fork('machines')),
    catalogue: [...windowsCatalogue(end, root.fork('windows')), ...linuxCatalogue(end, root.fork('linux'))],
    runs: buildRuns(windowStartNs, minutes, root.fork('runs')),
  };
}

export async function loadPlan(conn: DuckDBConnection, plan: FleetPlan): Promise<void> {
  await loadMachines(conn, plan);
  await loadCatalogue(conn, plan.catalogue);
  await loadRuns(conn, plan.runs);
  await loadEventTemplates(conn);
}

async function loadMachines(conn: DuckDBConnection, plan: FleetPlan): Promise<void> {
  const rows = plan.machines.map((m): ScratchValue[] => [
    m.index, m.computer, m.sourceComputerId, m.vmUuid, m.os.osType, m.os.osName, m.os.osMajorVersion, m.os.osMinorVersion,
    m.os.osVersion, m.os.osFullName, m.os.family, m.os.agentVersion, m.ip, JSON.stringify([m.ip]), m.heartbeatSecond,
    plan.minutes - 1 - m.silentForMinutes, m.assessed, m.assessmentPhaseMinutes, m.patchLag, m.errorRate, m.wsusServer,
    m.windowsUpdateSetting, m.restartPending, m.os.osType === 'Windows' ? 'OpsManager' : 'Linux',
  ]);
  await createScratchTable(conn, '_sample_machines', {
    idx: 'INTEGER', computer: 'VARCHAR', sid: 'VARCHAR', vm_uuid: 'VARCHAR', os_type: 'VARCHAR', os_name: 'VARCHAR',
    os_major: 'VARCHAR', os_minor: 'VARCHAR', os_version: 'VARCHAR', os_full_name: 'VARCHAR', family: 'VARCHAR',
    agent_version: 'VARCHAR', ip: 'VARCHAR', private_ips: 'JSON', hb_second: 'INTEGER', last_minute: 'INTEGER',
    assessed: 'BOOLEAN', phase: 'INTEGER', patch_lag: 'DOUBLE', error_rate: 'DOUBLE', wsus: 'VARCHAR', wu_setting: 'VARCHAR',
    restart_pending: 'BOOLEAN', source_system: 'VARCHAR',
  }, rows);
}

/** Runs install critical fixes first, then security, then the rest. */
const classRank: Record<string, number> = { 'Critical Updates': 0, 'Security Updates': 1 };

async function loadCatalogue(conn: DuckDBConnection, catalogue: readonly CatalogueUpdate[]): Promise<void> {
  const rows = catalogue.map((u, idx): ScratchValue[] => [
    idx, u.family, u.title, u.kbid, u.updateId, u.product, u.productArch, u.productVersion, u.classification, u.msrcSeverity,
    u.optional, u.publishedNs, u.rebootBehavior, u.packageRepository, u.packageSeverity, u.cveNumbers, u.share, u.wsusHeld,
    u.installMinutes, classRank[u.classification] ?? 2,
  ]);
  await createScratchTable(conn, '_sample_catalogue', {
    idx: 'INTEGER', family: 'VARCHAR', title: 'VARCHAR', kbid: 'VARCHAR', update_id: 'VARCHAR', product: 'VARCHAR',
    product_arch: 'VARCHAR', product_version: 'VARCHAR', classification: 'VARCHAR', msrc_severity: 'VARCHAR', optional: 'BOOLEAN',
    published_ns: 'BIGINT', reboot_behavior: 'VARCHAR', package_repository: 'VARCHAR', package_severity: 'VARCHAR',
    cve_numbers: 'VARCHAR', share: 'DOUBLE', wsus_held: 'BOOLEAN', install_minutes: 'INTEGER', class_rank: 'INTEGER',
  }, rows);
}

async function loadRuns(conn: DuckDBConnection, runs: readonly DeploymentRun[]): Promise<void> {
  await createScratchTable(conn, '_sample_runs', {
    idx: 'INTEGER', name: 'VARCHAR', correlation_id: 'VARCHAR', os_type: 'VARCHAR', start_ns: 'BIGINT', window_minutes: 'INTEGER',
    target_share: 'DOUBLE', failure_rate: 'DOUBLE', force_named_machine: 'BOOLEAN', error_count: 'INTEGER',
  }, runs.map((r) => [r.index, r.name, r.correlationId, r.osType, r.startNs, r.windowMinutes, r.targetShare, r.failureRate, r.name === namedRun, r.errors.length]));
  await createScratchTable(conn, '_sample_run_classes', { run: 'INTEGER', classification: 'VARCHAR' },
    runs.flatMap((r) => r.classifications.map((c) => [r.index, c])));
  await createScratchTable(conn, '_sample_run_errors', { run: 'INTEGER', ord: 'INTEGER', message: 'VARCHAR' },
    runs.flatMap((r) => r.errors.map((e, ord) => [r.index, ord, e])));
}

async function loadEventTemplates(conn: DuckDBConnection): Promise<void> {
  const counts = new Map<string, number>();
  const rows = eventTemplates.map((t): ScratchValue[] => {
    const key = `${t.osType}/${t.level}`;
    const ord = counts.get(key) ?? 0;
    counts.set(key, ord + 1);
    return [t.osType, t.level, ord, t.eventLog, t.source, t.eventId, t.description, t.userName];
  });
  for (const row of rows) row.push(counts.get(`${String(row[0])}/${String(row[1])}`) ?? 1);
  await createScratchTable(conn, '_sample_event_templates', {
    os_type: 'VARCHAR', level: 'INTEGER', ord: 'INTEGER', event_log: 'VARCHAR', source: 'VARCHAR', event_id: 'INTEGER',
    description: 'VARCHAR', user_name: 'VARCHAR', n: 'INTEGER',
  }, rows);
}
