/**
 * Alert rules as one service for the server: the store (own connection of the server's DuckDB
 * instance), the evaluator on the server's Clock, and the service the routes use. AlertEvaluation
 * records go through the server's durable writer, like every record.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Ingestor } from '../../contracts/ingest.js';
import { systemClock, type Clock } from '../../contracts/clock.js';
import { AlertEvaluator, type BackoffOptions } from './alert-evaluator.js';
import { AlertService } from './alert-service.js';
import { AlertStore } from './alert-store.js';
import type { AlertQueryRunner, SavedSearchSource } from './sources.js';

export interface AlertsOptions {
  instance: DuckDBInstance;
  ingestor: Pick<Ingestor, 'ingestJson'>;
  queries: AlertQueryRunner;
  savedSearches?: SavedSearchSource;
  clock?: Clock;
  now?: () => Date;
  tickMs?: number;
  maxCatchUpPeriods?: number;
  backoff?: BackoffOptions;
  log?: (message: string, error?: unknown) => void;
}

export class Alerts {
  private constructor(readonly service: AlertService, readonly evaluator: AlertEvaluator, readonly store: AlertStore) {}

  static async open(o: AlertsOptions): Promise<Alerts> {
    const clock = o.clock ?? systemClock;
    const store = await AlertStore.open(o.instance);
    const evaluator = new AlertEvaluator({
      store,
      queries: o.queries,
      clock,
      sink: async (rows, batchId) => {
        if (rows.length > 0) await o.ingestor.ingestJson('AlertEvaluation', rows, { batchId });
      },
      ...(o.savedSearches ? { savedSearches: o.savedSearches } : {}),
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.maxCatchUpPeriods !== undefined ? { maxCatchUpPeriods: o.maxCatchUpPeriods } : {}),
      ...(o.backoff ? { backoff: o.backoff } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    const service = new AlertService(store, evaluator, o.now ?? (() => clock.now()), o.savedSearches);
    return new Alerts(service, evaluator, store);
  }

  start(): void {
    this.evaluator.start();
  }

  /** Stops evaluating and waits for deliveries in flight; the store stays open for requests. */
  stop(): Promise<void> {
    return this.evaluator.stop();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.store.close();
  }
}
