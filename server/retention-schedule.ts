/** Deletes expired records once shortly after start and then daily; the timers never keep the process alive. */
import type { FastifyBaseLogger } from 'fastify';
import type { Ingestor } from '../contracts/ingest.js';

export const DAY_MS = 86_400_000;

export function scheduleRetention(ingestor: Ingestor, log: FastifyBaseLogger, options: { firstDelayMs?: number; intervalMs?: number } = {}): () => void {
  const run = () => {
    ingestor.applyRetention().then(
      (deleted) => log.info({ deleted }, 'retention applied'),
      (error: unknown) => log.error({ err: error }, 'retention failed; it will be tried again at the next run'),
    );
  };
  const first = setTimeout(run, options.firstDelayMs ?? 60_000);
  const daily = setInterval(run, options.intervalMs ?? DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
