/**
 * The reference's sample queries (samples/queries/*.kql) as saved searches in category
 * "Samples", added once to a fresh workspace: a sample the user deletes does not come back, and
 * a name the user already took is left alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SAMPLES_CATEGORY, type SavedSearchInput } from '../../contracts/saved.js';
import { packageFile } from '../package-files.js';
import type { SavedSearchService } from './saved-search-service.js';

export const SAMPLE_QUERIES_DIR = packageFile('samples/queries');
const SEEDED_MARK = 'samples-added';

/** `03-missing-required-updates.kql` → MissingRequiredUpdates; the leading // lines are its description. */
export function sampleSavedSearches(dir = SAMPLE_QUERIES_DIR): SavedSearchInput[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.kql'))
    .sort()
    .map((file) => {
      const query = readFileSync(`${dir}/${file}`, 'utf8').trim();
      const words = file.replace(/\.kql$/, '').split('-').filter((w) => !/^\d+$/.test(w));
      const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
      const comments = query.split('\n').filter((line) => line.startsWith('//')).map((line) => line.replace(/^\/\/\s?/, ''));
      return { name, category: SAMPLES_CATEGORY, description: comments.join(' '), query };
    });
}

/** Adds the samples the first time; the names added (empty on every later start). */
export async function addSampleSavedSearches(service: SavedSearchService, now: Date, warn: (message: string) => void = process.emitWarning): Promise<string[]> {
  if (await service.store.hasMark(SEEDED_MARK)) return [];
  const added: string[] = [];
  for (const sample of sampleSavedSearches()) {
    if (service.find(sample.name)) continue;
    const outcome = await service.create(sample);
    if (outcome.ok) added.push(sample.name);
    else warn(`The sample query ${sample.name} was not added as a saved search: ${outcome.message}`);
  }
  // Marked after adding: a start interrupted half-way adds the rest next time.
  await service.store.markOnce(SEEDED_MARK, now);
  return added;
}
