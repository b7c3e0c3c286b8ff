/**
 * A fuzzing campaign: cases drawn in seeded batches from each source in turn, every case checked
 * (check.ts), failures grouped by kind with the first example shrunk. Shared by the test suite's
 * short run and `npm run fuzz`.
 */
import fc from 'fast-check';
import { checkQuery, type Failure, type FuzzEnv, type Outcome } from './check.js';
import { grammarQuery } from './grammar-queries.js';
import { minimize } from './minimize.js';
import { mutatedQuery, randomText } from './mutations.js';

export const sources = { grammar: grammarQuery, mutation: mutatedQuery, random: randomText } as const;
export type SourceName = keyof typeof sources;

export interface FoundFailure extends Failure {
  source: SourceName;
  query: string;
  /** The query shrunk to what still fails with the same key. */
  minimal: string;
  count: number;
}

export interface CampaignReport {
  cases: number;
  outcomes: Record<Outcome, number>;
  failures: FoundFailure[];
  elapsedMs: number;
}

export interface CampaignOptions {
  cases: number;
  seed: number;
  env: FuzzEnv;
  sources?: readonly SourceName[];
  batch?: number;
  onProgress?: (done: number, failures: number) => void;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const names = options.sources ?? (Object.keys(sources) as SourceName[]);
  const batch = options.batch ?? 250;
  const started = performance.now();
  const outcomes: Record<Outcome, number> = { rejected: 0, ran: 0, refused: 0, timeout: 0 };
  const found = new Map<string, FoundFailure>();
  let done = 0;
  for (let round = 0; done < options.cases; round++) {
    const source = names[round % names.length]!;
    const size = Math.min(batch, options.cases - done);
    for (const query of fc.sample(sources[source], { seed: options.seed + round, numRuns: size })) {
      const result = await checkQuery(query, options.env);
      done++;
      if (result.ok) outcomes[result.outcome]++;
      else await record(found, result.failure, source, query, options.env);
    }
    options.onProgress?.(done, found.size);
  }
  return { cases: done, outcomes, failures: [...found.values()], elapsedMs: performance.now() - started };
}

async function record(found: Map<string, FoundFailure>, failure: Failure, source: SourceName, query: string, env: FuzzEnv): Promise<void> {
  const known = found.get(failure.key);
  if (known) {
    known.count++;
    return;
  }
  const minimal = await minimize(query, async (candidate) => {
    const again = await checkQuery(candidate, env);
    return !again.ok && again.failure.key === failure.key;
  });
  found.set(failure.key, { ...failure, source, query, minimal, count: 1 });
}
