/**
 * The "Update compliance" dashboard every workspace starts with, built from the reference's
 * sample queries: compliance of the machines, missing updates by classification, heartbeats over
 * time, deployment run outcomes, and the sample queries on Linux security updates and failed
 * runs. It is created once, with the saved searches it needs (a name the user already took is
 * used as it is): a deleted default dashboard does not come back.
 */
import { sampleSavedSearches } from '../saved/samples.js';
import type { SavedSearch, SavedSearchInput } from '../../contracts/saved.js';
import type { SavedOutcome } from '../saved/saved-search-service.js';
import { DEFAULT_DASHBOARD_NAME, type Dashboard, type TileInput } from '../../contracts/dashboards.js';
import type { DashboardService } from './dashboard-service.js';

export const DASHBOARD_CATEGORY = 'Update compliance';
const CREATED_MARK = 'default-dashboard-created';

export const defaultDashboardSearches: SavedSearchInput[] = [
  {
    name: 'UpdateComplianceByMachine',
    category: DASHBOARD_CATEGORY,
    description: "Machines by the worst kind of update their latest assessment misses (from UpdateSummary).",
    query: `UpdateSummary
| summarize arg_max(TimeGenerated, CriticalUpdatesMissing, SecurityUpdatesMissing, OtherUpdatesMissing) by Computer
| extend Compliance = case(CriticalUpdatesMissing > 0, "Missing critical updates", SecurityUpdatesMissing > 0, "Missing security updates", OtherUpdatesMissing > 0, "Missing other updates", "Up to date")
| summarize Machines = count() by Compliance
| render piechart`,
  },
  {
    name: 'MissingUpdatesByClassification',
    category: DASHBOARD_CATEGORY,
    description: 'Required updates missing across the machines, by classification: each machine counts its latest state of each update (the sample "missing required updates").',
    query: `Update
| summarize arg_max(TimeGenerated, UpdateState, Classification, Optional) by Computer, Title
| where UpdateState == "Needed" and Optional == false
| summarize MissingUpdates = count() by Classification
| sort by MissingUpdates desc
| render columnchart`,
  },
  {
    name: 'MachinesReportingOverTime',
    category: DASHBOARD_CATEGORY,
    description: 'Machines sending heartbeats each hour, by OS (the samples "Linux/Windows machines onboarded").',
    query: `Heartbeat
| summarize Machines = dcount(Computer) by bin(TimeGenerated, 1h), OSType
| sort by TimeGenerated asc
| render timechart`,
  },
  {
    name: 'UpdateRunOutcomes',
    category: DASHBOARD_CATEGORY,
    description: 'Updates in deployment runs by their last installation status (the sample "failed update runs", every outcome).',
    query: `UpdateRunProgress
| summarize arg_max(TimeGenerated, InstallationStatus) by CorrelationId, Computer, Title
| summarize Updates = count() by InstallationStatus
| render piechart`,
  },
  {
    name: 'MachinesMissingSecurityUpdates',
    category: DASHBOARD_CATEGORY,
    description: 'Machines whose latest assessment misses a critical or security update, worst first.',
    query: `UpdateSummary
| summarize arg_max(TimeGenerated, CriticalUpdatesMissing, SecurityUpdatesMissing, OtherUpdatesMissing, RestartPending) by Computer
| where CriticalUpdatesMissing > 0 or SecurityUpdatesMissing > 0
| project Computer, Critical = CriticalUpdatesMissing, Security = SecurityUpdatesMissing, Other = OtherUpdatesMissing, RestartPending, LastAssessed = TimeGenerated
| sort by Critical desc, Security desc, Computer asc`,
  },
];

/** Tiles by saved search name; two sample queries appear as they are, one drawn as a chart. */
const layout: (Omit<TileInput, 'savedSearchId'> & { search: string })[] = [
  { search: 'UpdateComplianceByMachine', title: 'Machines by compliance', visualization: 'auto', timeRange: 'P2D', refreshSeconds: 300, x: 0, y: 0, w: 4, h: 4 },
  { search: 'MissingUpdatesByClassification', title: 'Missing updates by classification', visualization: 'auto', timeRange: 'P2D', refreshSeconds: 300, x: 4, y: 0, w: 4, h: 4 },
  { search: 'UpdateRunOutcomes', title: 'Deployment run outcomes', visualization: 'auto', timeRange: 'P30D', refreshSeconds: 300, x: 8, y: 0, w: 4, h: 4 },
  { search: 'MachinesReportingOverTime', title: 'Machines reporting (heartbeats per hour)', visualization: 'auto', timeRange: 'P1D', refreshSeconds: 60, x: 0, y: 4, w: 8, h: 4 },
  { search: 'LinuxCriticalSecurityAvailable', title: 'Linux: security fixes available', visualization: 'barchart', timeRange: 'P1D', refreshSeconds: 300, x: 8, y: 4, w: 4, h: 4 },
  { search: 'MachinesMissingSecurityUpdates', title: 'Machines missing security updates', visualization: 'table', timeRange: 'P2D', refreshSeconds: 300, x: 0, y: 8, w: 6, h: 4 },
  { search: 'FailedUpdateRuns', title: 'Failed updates in runs', visualization: 'table', timeRange: 'P30D', refreshSeconds: 300, x: 6, y: 8, w: 6, h: 4 },
];

export interface SavedSearchCreator {
  find(idOrName: string): SavedSearch | undefined;
  create(body: unknown): Promise<SavedOutcome<SavedSearch>>;
}

/** Creates the default dashboard the first time; the dashboard created, or undefined on later starts. */
export async function ensureDefaultDashboard(dashboards: DashboardService, savedSearches: SavedSearchCreator, now: Date, warn: (message: string) => void = process.emitWarning): Promise<Dashboard | undefined> {
  if (await dashboards.store.hasMark(CREATED_MARK)) return undefined;
  // A sample the workspace does not have (samples off, or deleted) is added in this dashboard's category, not as a sample.
  const inputs = new Map([...sampleSavedSearches().map((s) => ({ ...s, category: DASHBOARD_CATEGORY })), ...defaultDashboardSearches].map((s) => [s.name, s]));
  const tiles: TileInput[] = [];
  for (const { search, ...tile } of layout) {
    const found = savedSearches.find(search) ?? (await createSearch(savedSearches, inputs.get(search)!, warn));
    if (found) tiles.push({ ...tile, savedSearchId: found.id });
  }
  let created: Dashboard | undefined;
  if (!dashboards.store.getByName(DEFAULT_DASHBOARD_NAME)) {
    const outcome = await dashboards.create({ name: DEFAULT_DASHBOARD_NAME, description: 'Compliance of the machines, missing updates, heartbeats and deployment runs, from the sample queries.', tiles });
    if (outcome.ok) created = outcome.value;
    else warn(`The default dashboard "${DEFAULT_DASHBOARD_NAME}" was not created: ${outcome.message}`);
  }
  // Marked after creating: a start interrupted half-way creates it next time.
  await dashboards.store.markOnce(CREATED_MARK, now);
  return created;
}

async function createSearch(savedSearches: SavedSearchCreator, input: SavedSearchInput, warn: (message: string) => void): Promise<SavedSearch | undefined> {
  const outcome = await savedSearches.create(input);
  if (outcome.ok) return outcome.value;
  warn(`The saved search ${input.name} for the default dashboard was not added: ${outcome.message}`);
  return undefined;
}
