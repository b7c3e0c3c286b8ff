/** What every route needs: the workspace, the writer and the query runner. */
import type { JsonTextIngestor } from '../records/ingest/ingestor.js';
import type { WorkspaceStore } from '../app/workspace/workspace-store.js';
import type { QueryRunner } from '../query/query-runner.js';
import type { DeploymentService } from '../app/updates/deployments/deployment-service.js';
import type { UpdateRuns } from '../app/updates/runs/update-runs.js';
import type { SavedSearchService } from '../app/saved/saved-search-service.js';
import type { DashboardService } from '../app/dashboards/dashboard-service.js';
import type { Alerts } from '../app/alerts/alerts.js';
import type { IngestAdmission } from './ingest-admission.js';

export interface ServerContext {
  workspace: WorkspaceStore;
  ingestor: JsonTextIngestor;
  /** Every query the server runs goes through it: the API's, tiles', alert rules', groups' and compliance views'. */
  queries: QueryRunner;
  bodyLimitBytes: number;
  now: () => Date;
  /** Update deployment definitions (app/updates/deployments); the scheduler may set its delete guard. */
  deployments: DeploymentService;
  /** Update runs: scheduler, runs, machine jobs (app/updates/runs). */
  updateRuns: UpdateRuns;
  /** Saved searches, also the stored functions every query can use (app/saved). */
  savedSearches: SavedSearchService;
  /** Dashboards, their tiles and embed tokens (app/dashboards). */
  dashboards: DashboardService;
  /** Scheduled alert rules: definitions, evaluation, instances (app/alerts). */
  alerts: Alerts;
  /** Bounds the ingestion requests in progress (429 beyond); absent: unbounded. */
  ingestAdmission?: IngestAdmission;
}

export const DEFAULT_BODY_LIMIT_BYTES = 30 * 1024 * 1024;
