/**
 * Which of the machine's needed updates an install job installs: the ones still required by
 * the scan, of the job's classifications, not excluded, in the allow-list when there is one,
 * and on Windows only the non-optional ones. The others are reported, not silently dropped.
 */
import type { InstallJob } from '../../contracts/updates.js';
import type { AssessedUpdate } from '../assessment.js';

export interface Skipped {
  update: AssessedUpdate;
  status: 'NotIncluded' | 'Excluded';
}

export interface Selection {
  toInstall: AssessedUpdate[];
  skipped: Skipped[];
}

export function selectUpdates(needed: readonly AssessedUpdate[], job: Pick<InstallJob, 'os' | 'classifications' | 'excludedUpdates' | 'includedUpdates'>): Selection {
  const excluded = matcher(job.os, job.excludedUpdates);
  const included = job.includedUpdates.length > 0 ? matcher(job.os, job.includedUpdates) : () => true;
  const classifications = new Set<string>(job.classifications);
  const selection: Selection = { toInstall: [], skipped: [] };
  for (const update of needed) {
    if (excluded(update)) selection.skipped.push({ update, status: 'Excluded' });
    else if (!classifications.has(update.classification) || !included(update) || (job.os === 'Windows' && update.optional === true)) selection.skipped.push({ update, status: 'NotIncluded' });
    else selection.toInstall.push(update);
  }
  return selection;
}

/** Windows: KB numbers (a "KB" prefix is tolerated here; the server rejects it earlier). Linux: package names, `*` wildcards, optionally `name.arch`. */
export function matcher(os: InstallJob['os'], patterns: readonly string[]): (update: AssessedUpdate) => boolean {
  if (os === 'Windows') {
    const kbs = new Set(patterns.map((p) => p.trim().replace(/^kb/i, '')));
    return (update) => update.kbid !== undefined && kbs.has(update.kbid);
  }
  const regexes = patterns.map(globToRegExp);
  return (update) => {
    const names = [update.product, `${update.product}.${update.productArch}`];
    return regexes.some((r) => names.some((name) => r.test(name)));
  };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.trim().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${escaped}$`);
}
