/** What every route needs: the workspace, the writer and the query runner. */
import type { JsonTextIngestor } from '../ingest/ingestor.js';
import type { WorkspaceStore } from '../workspace/workspace-store.js';
import type { QueryService } from './query-service.js';

export interface ServerContext {
  workspace: WorkspaceStore;
  ingestor: JsonTextIngestor;
  queries: QueryService;
  bodyLimitBytes: number;
  now: () => Date;
}

export const DEFAULT_BODY_LIMIT_BYTES = 30 * 1024 * 1024;
