/** What every route needs: the workspace, the writer and the query runner. */
import type { JsonTextIngestor } from '../ingest/ingestor.js';
import type { WorkspaceStore } from '../workspace/workspace-store.js';
import type { QueryService } from './query-service.js';
import type { DeploymentService } from '../updates/deployments/deployment-service.js';
import type { UpdateRuns } from '../updates/runs/update-runs.js';
import type { SavedSearchService } from '../saved/saved-search-service.js';
import type { DashboardService } from '../dashboards/dashboard-service.js';
import type { Alerts } from '../alerts/alerts.js';
import type { IngestAdmission } from './ingest-admission.js';

export interface ServerContext {
  workspace: WorkspaceStore;
  ingestor: JsonTextIngestor;
  queries: QueryService;
  bodyLimitBytes: number;
  now: () => Date;
  /** Update deployment definitions (engine/updates/deployments); the scheduler may set its delete guard. */
  deployments: DeploymentService;
  /** Update runs: scheduler, runs, machine jobs (engine/updates/runs). */
  updateRuns: UpdateRuns;
  /** Saved searches, also the stored functions every query can use (engine/saved). */
  savedSearches: SavedSearchService;
  /** Dashboards, their tiles and embed tokens (engine/dashboards). */
  dashboards: DashboardService;
  /** Scheduled alert rules: definitions, evaluation, instances (engine/alerts). */
  alerts: Alerts;
  /** Bounds the ingestion requests in progress (429 beyond); absent: unbounded. */
  ingestAdmission?: IngestAdmission;
}

export const DEFAULT_BODY_LIMIT_BYTES = 30 * 1024 * 1024;
