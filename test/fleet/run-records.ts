/**
 * The run records as the fleet test reads them: UpdateRunProgress through KQL on /api/query,
 * the run API's counts in the same shape, so the two can be compared per machine.
 */
import type { InstallationStatus, Run } from '../../contracts/updates.js';
import type { FleetServer } from './fleet-server.js';

export type Counts = Partial<Record<InstallationStatus, number>>;

/**
 * Each update's latest status per run and machine, counted by status. An update is known by
 * UpdateId, KBID and Product together (Windows has the first two, Linux the package.arch). Two
 * reports of one update at the same virtual instant (InProgress, then a refusal) are ordered by
 * the lifecycle: NotStarted, then InProgress, then an outcome.
 */
const latestStatusQuery = `
UpdateRunProgress
| where Title != ""
| extend Key = strcat(UpdateId, "|", KBID, "|", Product)
| extend Stage = case(InstallationStatus == "NotStarted", 0, InstallationStatus == "InProgress", 1, 2)
| extend Order = TimeGenerated + Stage * 1ms
| summarize arg_max(Order, InstallationStatus) by CorrelationId, Computer, Key
| summarize N = count() by CorrelationId, Computer, InstallationStatus`;

/** `runId|computer` → counts by InstallationStatus, from the records. */
export async function progressCountsByMachine(server: FleetServer): Promise<Map<string, Counts>> {
  const { rows } = await server.kql(latestStatusQuery);
  const counts = new Map<string, Counts>();
  for (const row of rows) {
    const key = `${String(row.CorrelationId)}|${String(row.Computer)}`;
    counts.set(key, { ...counts.get(key), [String(row.InstallationStatus)]: Number(row.N) });
  }
  return counts;
}

/** The same from the run API (machines that reported no update are left out, as in the records). */
export function apiCountsByMachine(runs: Run[]): Map<string, Counts> {
  const counts = new Map<string, Counts>();
  for (const run of runs) {
    for (const m of run.machines) {
      const nonZero = Object.fromEntries(Object.entries(m.counts).filter(([, n]) => (n ?? 0) > 0)) as Counts;
      if (Object.keys(nonZero).length > 0) counts.set(`${run.id}|${m.computer}`, nonZero);
    }
  }
  return counts;
}

export interface MachineOutcome {
  /** Outcome rows (Title empty) of this machine in this run: one expected. */
  rows: number;
  status: string;
  /** The outcome row has a StartTime: an agent picked the job up. */
  pickedUp: boolean;
}

/** `runId|computer` → the machine outcome rows of UpdateRunProgress. */
export async function machineOutcomes(server: FleetServer): Promise<Map<string, MachineOutcome>> {
  const { rows } = await server.kql(`
UpdateRunProgress
| where Title == ""
| summarize Rows = count(), Status = take_any(InstallationStatus), PickedUp = countif(isnotnull(StartTime)) by CorrelationId, Computer`);
  return new Map(rows.map((r) => [`${String(r.CorrelationId)}|${String(r.Computer)}`, { rows: Number(r.Rows), status: String(r.Status), pickedUp: Number(r.PickedUp) > 0 }]));
}

/** Run id → UpdateRunProgress rows it wrote. */
export async function recordsPerRun(server: FleetServer): Promise<Map<string, number>> {
  const { rows } = await server.kql('UpdateRunProgress | summarize Rows = count() by CorrelationId');
  return new Map(rows.map((r) => [String(r.CorrelationId), Number(r.Rows)]));
}

export function sumCounts(all: Counts[]): Counts {
  const total: Counts = {};
  for (const counts of all) {
    for (const [status, n] of Object.entries(counts) as [InstallationStatus, number][]) if (n > 0) total[status] = (total[status] ?? 0) + n;
  }
  return total;
}
