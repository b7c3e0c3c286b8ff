/**
 * Query result rows → the contract's view rows, by column name (so the .kql may reorder its
 * columns). Column positions are looked up once: a machines view has ~10,000 rows.
 */
import type { QueryResult, ResultValue } from '../../../language/values/result.js';
import type { MachineCompliance, MissingUpdate, OsType, Readiness, WorstMissing } from '../../../contracts/updates.js';

function positions<const N extends readonly string[]>(result: QueryResult, names: N): Record<N[number], number> {
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const found = {} as Record<N[number], number>;
  for (const name of names as readonly N[number][]) {
    const i = index.get(name);
    if (i === undefined) throw new Error(`The compliance query lost its ${name} column; check the .kql beside rows.ts.`);
    found[name] = i;
  }
  return found;
}

const text = (v: ResultValue | undefined): string => (v === null || v === undefined ? '' : String(v));
const count = (v: ResultValue | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const osType = (v: ResultValue | undefined): OsType | '' => (v === 'Windows' || v === 'Linux' ? v : '');

/** Sets `key` only when the value is not empty: the contract's optional fields are absent, not "". */
function setIfPresent<T extends object>(target: T, key: keyof T & string, v: ResultValue | undefined): void {
  const s = text(v);
  if (s !== '') (target as Record<string, unknown>)[key] = s;
}

const machineColumns = ['Computer', 'OSType', 'OSName', 'Compliant', 'WorstMissing', 'Readiness', 'LastHeartbeat', 'LastAssessment', 'Critical', 'Security', 'Other', 'RestartPending'] as const;

export function machineRows(result: QueryResult): MachineCompliance[] {
  const at = positions(result, machineColumns);
  return result.rows.map((row) => {
    const machine: MachineCompliance = {
      computer: text(row[at.Computer]),
      osType: osType(row[at.OSType]),
      osName: text(row[at.OSName]),
      compliant: row[at.Compliant] === true,
      worstMissing: text(row[at.WorstMissing]) as WorstMissing,
      readiness: text(row[at.Readiness]) as Readiness,
      missing: { critical: count(row[at.Critical]), security: count(row[at.Security]), other: count(row[at.Other]) },
      restartPending: row[at.RestartPending] === true,
    };
    setIfPresent(machine, 'lastHeartbeat', row[at.LastHeartbeat]);
    setIfPresent(machine, 'lastAssessment', row[at.LastAssessment]);
    return machine;
  });
}

const updateColumns = ['Key', 'Title', 'OSType', 'KBID', 'Product', 'ProductArch', 'Version', 'Classification', 'Severity', 'CVENumbers', 'PublishedDate', 'Machines'] as const;

export function updateRows(result: QueryResult): MissingUpdate[] {
  const at = positions(result, updateColumns);
  return result.rows.map((row) => {
    const update: MissingUpdate = {
      key: text(row[at.Key]),
      title: text(row[at.Title]),
      osType: osType(row[at.OSType]) || 'Linux',
      classification: text(row[at.Classification]),
      cves: splitCves(text(row[at.CVENumbers])),
      machines: count(row[at.Machines]),
    };
    setIfPresent(update, 'kbId', row[at.KBID]);
    setIfPresent(update, 'product', row[at.Product]);
    setIfPresent(update, 'productArch', row[at.ProductArch]);
    setIfPresent(update, 'version', row[at.Version]);
    setIfPresent(update, 'severity', row[at.Severity]);
    setIfPresent(update, 'publishedDate', row[at.PublishedDate]);
    return update;
  });
}

/** CVENumbers is a comma-separated list (docs/schema.md); some senders separate with spaces too. */
export function splitCves(value: string): string[] {
  if (value === '') return [];
  return [...new Set(value.split(/[,\s]+/).filter((s) => s !== ''))];
}
