/**
 * `upkeep serve` as a function: opens the database file, creates the workspace beside it on the
 * first start, starts the writer, then the query connections (in that order: the first query
 * connection switches file access off for the instance, keeping only the writer's spool
 * readable), then listens. `close()` stops taking requests, lets the writer finish and
 * checkpoint, and closes the file.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createIngestor, ingestAllowedDirectories, type IngestorOptions, type JsonTextIngestor } from '../records/ingest/ingestor.js';
import { ensureRecordTables } from '../records/store/duckdb-store.js';
import { parseStoreUrl, type ClickHouseNode } from '../records/clickhouse/client.js';
import { createClickHouseIngestor } from '../records/clickhouse/ingestor.js';
import { ClickHouseEngine } from '../query/clickhouse/engine.js';
import { DuckDBEngine } from '../query/duckdb/engine.js';
import { ensureWorkspace, workspaceFileOf, type EnsuredWorkspace } from '../app/workspace/workspace-file.js';
import { WorkspaceStore } from '../app/workspace/workspace-store.js';
import { buildApp } from './app.js';
import { DEFAULT_BODY_LIMIT_BYTES, type ServerContext } from './context.js';
import { QueryRunner } from '../query/query-runner.js';
import { serverQueryLimits, type QueryLimits } from '../query/limits.js';
import { scheduleRetention } from './retention-schedule.js';
import { IngestAdmission } from './ingest-admission.js';
import { DeploymentService } from '../app/updates/deployments/deployment-service.js';
import { DeploymentStore } from '../app/updates/deployments/deployment-store.js';
import { evaluateGroup, type SavedSearchLookup } from '../app/updates/deployments/groups.js';
import { deploymentUsageSource } from '../app/saved/deployment-usage.js';
import { addSampleSavedSearches } from '../app/saved/samples.js';
import { SavedSearchService } from '../app/saved/saved-search-service.js';
import { SavedSearchStore } from '../app/saved/saved-search-store.js';
import { DashboardService } from '../app/dashboards/dashboard-service.js';
import { DashboardStore } from '../app/dashboards/dashboard-store.js';
import { ensureDefaultDashboard } from '../app/dashboards/default-dashboard.js';
import type { Clock } from '../contracts/clock.js';
import { UpdateRuns, type UpdateRunsOptions } from '../app/updates/runs/update-runs.js';
import { Alerts, type AlertsOptions } from '../app/alerts/alerts.js';

export interface ServeOptions {
  /** `clickhouse://host:port[,host:port…]`: keep the record tables on a ClickHouse cluster (default: the embedded file). */
  store?: string;
  dbPath: string;
  host?: string;
  port?: number;
  tls?: { certFile: string; keyFile: string };
  logger?: FastifyServerOptions['logger'];
  maxQueuedRecords?: number;
  /** Ingestion requests in progress beyond which new ones get 429 before their body is read (default 256). */
  maxIngestRequests?: number;
  retentionDays?: IngestorOptions['retentionDays'];
  queryLimits?: Partial<QueryLimits>;
  bodyLimitBytes?: number;
  now?: () => Date;
  /** Time for the scheduler, runs and job long polls (tests inject a ManualClock); `now` defaults to it. */
  clock?: Clock;
  /** `deployments` replaces the DeploymentStore on the file (tests of runs alone). */
  updateRuns?: Partial<Pick<UpdateRunsOptions, 'tickMs' | 'webhooks' | 'reportGraceMs' | 'evaluateGroup' | 'deployments'>>;
  /** `addSamples: false` keeps a fresh workspace without the sample queries as saved searches. */
  savedSearches?: { addSamples?: boolean };
  /** `addDefault: false` keeps a fresh workspace without the "Update compliance" dashboard. */
  dashboards?: { addDefault?: boolean };
  /** Alert evaluation: tick, catch-up bound and webhook backoff (tests shorten them). */
  alerts?: Partial<Pick<AlertsOptions, 'tickMs' | 'maxCatchUpPeriods' | 'backoff' | 'log'>>;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  /** The workspace; `adminToken` only on the start that created it. */
  workspace: EnsuredWorkspace;
  /** Deployment definitions, e.g. for the scheduler's delete guard. */
  deployments: DeploymentService;
  /** Saved searches: the alert rules use the store and register a usage source here. */
  savedSearches: SavedSearchService;
  /** Alert rules: their service, evaluator (tick/settled in tests) and store. */
  alerts: Alerts;
  /** The runner every query of the server goes through (its `load` shows the queries running and waiting). */
  queries: QueryRunner;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const now = options.now ?? (options.clock ? () => options.clock!.now() : () => new Date());
  const https = options.tls ? { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) } : undefined;
  const ensured = ensureWorkspace(options.dbPath, now());
  const workspace = new WorkspaceStore(workspaceFileOf(options.dbPath), now);
  const instance = await openInstance(options.dbPath);
  const ingestorOptions: IngestorOptions = {
    spoolDir: `${options.dbPath}.spool`,
    workspaceId: ensured.workspace.workspaceId,
    now,
    ...(options.maxQueuedRecords !== undefined ? { maxQueuedRecords: options.maxQueuedRecords } : {}),
    ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}),
  };
  // --store clickhouse://…: record tables live on the cluster; application state stays in the embedded file
  const clickhouseNodes = options.store !== undefined ? parseStoreUrl(options.store) : undefined;
  const ingestor = clickhouseNodes
    ? await createClickHouseIngestor(clickhouseNodes, { workspaceId: ensured.workspace.workspaceId, now, ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}) })
    : await createIngestor(instance, ingestorOptions);
  let app: FastifyInstance | undefined;
  let deployments: DeploymentService | undefined;
  let updateRuns: UpdateRuns | undefined;
  let savedSearches: SavedSearchService | undefined;
  let dashboards: DashboardService | undefined;
  let alerts: Alerts | undefined;
  let queries: QueryRunner;
  try {
    queries = await openQueries(instance, ingestAllowedDirectories(ingestorOptions), clickhouseNodes, options.queryLimits);
    const saved = (savedSearches = new SavedSearchService(await SavedSearchStore.open(instance), now));
    // Every query can use the saved searches by name; groups can name them.
    queries.catalog = saved.catalog();
    const savedSearchLookup: SavedSearchLookup = (name) => saved.queryOf(name);
    const definitions = (deployments = new DeploymentService(await DeploymentStore.open(instance), queries, now, { savedSearches: savedSearchLookup }));
    saved.registerUsageSource('deployments', deploymentUsageSource(() => definitions.store.list(), (query) => saved.functionsUsedBy(query)));
    if (options.savedSearches?.addSamples !== false) await addSampleSavedSearches(saved, now());
    const boards = (dashboards = new DashboardService(await DashboardStore.open(instance), saved, queries, now));
    saved.registerUsageSource('dashboards', (search) => boards.usersOf(search));
    if (options.dashboards?.addDefault !== false) await ensureDefaultDashboard(boards, saved, now());
    // The app (and its logger) is built after the alerts open: the evaluator logs through it once it exists.
    const alertLog = (message: string, error?: unknown) => (error === undefined ? app?.log.warn(message) : app?.log.error({ err: error }, message));
    alerts = await openAlerts(instance, ingestor, queries, saved, options, alertLog);
    updateRuns = await openUpdateRuns(instance, ingestor, queries, deployments, now, options, savedSearchLookup);
    const context: ServerContext = { workspace, ingestor, queries, bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES, now, updateRuns, deployments, savedSearches: saved, dashboards: boards, alerts, ingestAdmission: new IngestAdmission(options.maxIngestRequests) };
    app = await buildApp(context, { logger: options.logger ?? false, ...(https ? { https } : {}) });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  } catch (error) {
    await app?.close();
    deployments?.store.close();
    await savedSearches?.store.close();
    await dashboards?.store.close();
    await alerts?.close();
    await updateRuns?.close();
    await ingestor.close();
    instance.closeSync();
    throw error;
  }
  const stopRetention = scheduleRetention(ingestor, app.log);
  const started = app;
  const deploymentService = deployments!;
  const runs = updateRuns;
  runs.start();
  const alerting = alerts!;
  alerting.start();
  let closing: Promise<void> | undefined;
  return {
    url: urlOf(started, https !== undefined),
    app: started,
    workspace: ensured,
    deployments: deploymentService,
    savedSearches: savedSearches!,
    alerts: alerting,
    queries,
    close: () => {
      closing ??= (async () => {
        stopRetention();
        await runs.stop();
        await alerting.stop();
        await closeConnectionsOnceIdle(started);
        deployments?.store.close();
        await savedSearches?.store.close();
        await dashboards?.store.close();
        await alerting.close();
        await runs.close();
        await ingestor.close();
        instance.closeSync();
      })();
      return closing;
    },
  };
}

/**
 * One runner for every query of the server, whichever store holds the records: the limits
 * (concurrency, rows, time; memory for DuckDB) apply to all of them together. On either store
 * the embedded file's external access is switched off first (DuckDBEngine.forInstance), keeping
 * the writer's spool readable; on the ClickHouse store no query runs on the file itself.
 */
async function openQueries(instance: DuckDBInstance, allowedDirectories: string[], clickhouseNodes: ClickHouseNode[] | undefined, asked: Partial<QueryLimits> | undefined): Promise<QueryRunner> {
  const duck = await DuckDBEngine.forInstance(instance, allowedDirectories);
  if (!clickhouseNodes) return QueryRunner.open(duck, serverQueryLimits(asked));
  // The cluster's memory is its own; the embedded file keeps DuckDB's default limit, as before.
  const { memoryLimitBytes: _memory, ...limits } = serverQueryLimits(asked);
  return QueryRunner.open(new ClickHouseEngine(clickhouseNodes), limits);
}

/** Alert rules evaluate on the server's clock, write AlertEvaluation through the writer, and hold on to the saved searches they use. */
async function openAlerts(instance: DuckDBInstance, ingestor: JsonTextIngestor, queries: QueryRunner, saved: SavedSearchService, options: ServeOptions, log?: AlertsOptions['log']): Promise<Alerts> {
  const alerts = await Alerts.open({
    instance,
    ingestor,
    queries,
    savedSearches: saved,
    ...(log ? { log } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...options.alerts,
  });
  saved.registerUsageSource('alert rules', (search) => alerts.service.usersOf(search));
  return alerts;
}

/**
 * Runs write their UpdateRunProgress rows through the same durable writer as every record, read
 * the deployments of the deployment service, evaluate dynamic groups with the query service, and
 * refuse deleting a deployment while one of its runs is unfinished.
 */
async function openUpdateRuns(instance: DuckDBInstance, ingestor: JsonTextIngestor, queries: QueryRunner, service: DeploymentService, now: () => Date, options: ServeOptions, savedSearches?: SavedSearchLookup): Promise<UpdateRuns> {
  const deployments = options.updateRuns?.deployments ?? { list: () => service.store.list(), get: (id: string) => service.store.get(id) };
  const runs = await UpdateRuns.open({
    instance,
    sink: async (rows) => void (await ingestor.ingestJson('UpdateRunProgress', rows)),
    evaluateGroup: async (group) => {
      const evaluated = await evaluateGroup(group, queries, { now: now(), field: 'targets.dynamicGroups', ...(savedSearches ? { savedSearches } : {}) });
      if (!evaluated.ok) throw new Error(evaluated.problem.message);
      return evaluated.machines;
    },
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.updateRuns,
    deployments,
  });
  service.setDeleteGuard(async (deployment) => {
    const unfinished = (await runs.store.runsOf(deployment.id)).find((run) => run.phase === 'rings' || run.phase === 'pre');
    return unfinished ? `Deployment "${deployment.name}" has a run in progress (${unfinished.id}); cancel it with POST /api/runs/${unfinished.id}/cancel or wait for it to end, then delete.` : undefined;
  });
  return runs;
}

/**
 * fastify closes the connections that are idle when close() begins; one whose request was still
 * being answered stays open afterwards for the keep-alive timeout (72 s), and close() waits for it.
 * Agents send all the time, so a stop (or restart) waited that long: close each one once idle.
 */
async function closeConnectionsOnceIdle(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}

async function openInstance(dbPath: string): Promise<DuckDBInstance> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbPath);
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message)) {
      throw new Error(`${dbPath} is in use by another process (${message.split('\n')[0]}). Is \`upkeep serve\` already running on it? Stop it, or pass --db for another file.`);
    }
    if (/permission denied|read-only file system/i.test(message)) {
      throw new Error(`${dbPath} cannot be opened for writing (${message.split('\n')[0]}). The server writes the database file, its .wal and the .spool directory beside it: make them writable for the user running \`upkeep serve\`, or check that the disk is not mounted read-only.`);
    }
    throw error;
  }
  await ensureRecordTables(instance);
  return instance;
}

function urlOf(app: FastifyInstance, https: boolean): string {
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${https ? 'https' : 'http'}://${host}:${address.port}`;
}
