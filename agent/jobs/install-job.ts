/**
 * Carries out one machine's part of an update deployment: scan, keep what the job covers,
 * install one update at a time inside the maintenance window (nothing starts in its last
 * REBOOT_RESERVE_MINUTES), honour a cancel, reboot per the option, rescan, and say how it went.
 */
import { REBOOT_RESERVE_MINUTES, type InstallJob, type JobCompletion, type UpdateProgress } from '../../contracts/updates.js';
import type { AssessedUpdate, AssessmentResult } from '../assessment.js';
import type { Clock } from '../../contracts/clock.js';
import type { UpdateInstaller, UpdateInstallOutcome } from './installer.js';
import type { JobReporter } from './job-reporter.js';
import type { Rebooter } from './rebooter.js';
import { selectUpdates } from './select-updates.js';

export interface InstallJobContext {
  clock: Clock;
  /** Assesses and sends the Update/UpdateSummary records; throws when the scan fails. */
  scan(): Promise<AssessmentResult>;
  /** The distribution's (or Windows') "a reboot is needed" signal, without a full scan. */
  restartPending(): Promise<boolean>;
  installer: UpdateInstaller;
  rebooter: Rebooter;
  reporter: JobReporter;
  log?: (message: string) => void;
}

type Ending = 'done' | 'window' | 'canceled';

export async function runInstallJob(job: InstallJob, context: InstallJobContext): Promise<JobCompletion> {
  if (job.reboot === 'RebootOnly') {
    const outcome = await context.rebooter.reboot(`update deployment ${job.updateRunName} (reboot only)`);
    await scanQuietly(context);
    return { status: 'Succeeded', rebooted: outcome.rebooted, ...(outcome.rebooted ? {} : { error: outcome.message }) };
  }
  let before: AssessmentResult;
  try {
    before = await context.scan();
  } catch (error) {
    return { status: 'Failed', rebooted: false, error: `the scan before installing failed: ${messageOf(error)}` };
  }
  const { toInstall, skipped } = selectUpdates(before.updates, job);
  await context.reporter.progress([...skipped.map((s) => progressOf(s.update, s.status)), ...toInstall.map((u) => progressOf(u, 'NotStarted'))]);
  const { ending, failures, rebootRequired, installed } = await installAll(job, toInstall, before, context);
  const shouldReboot = ending !== 'canceled' && (job.reboot === 'Always' || (job.reboot === 'IfRequired' && installed > 0 && (rebootRequired || (await restartPendingNow(context)))));
  const reboot = shouldReboot ? await context.rebooter.reboot(`update deployment ${job.updateRunName}`) : undefined;
  if (reboot && !reboot.rebooted) context.log?.(`${job.updateRunName}: ${reboot.message}`);
  await scanQuietly(context);
  const result = completion(ending, failures, toInstall.length, reboot?.rebooted ?? false);
  // The run still succeeded; the note says why the machine shows a pending restart.
  return reboot && !reboot.rebooted && result.error === undefined ? { ...result, error: reboot.message } : result;
}

interface InstallSummary {
  ending: Ending;
  failures: string[];
  rebootRequired: boolean;
  installed: number;
}

async function installAll(job: InstallJob, updates: AssessedUpdate[], before: AssessmentResult, context: InstallJobContext): Promise<InstallSummary> {
  const { clock, reporter } = context;
  const lastStart = Date.parse(job.windowEndsAt) - REBOOT_RESERVE_MINUTES * 60_000;
  const summary: InstallSummary = { ending: 'done', failures: [], rebootRequired: false, installed: 0 };
  for (const [index, update] of updates.entries()) {
    if (reporter.cancelled) return { ...summary, ending: 'canceled' };
    if (clock.now().getTime() >= lastStart) {
      const at = iso(clock.now().getTime());
      await reporter.progress(updates.slice(index).map((u) => progressOf(u, 'MaintenanceWindowExceeded', { endTime: at, errorResult: `not started: fewer than ${REBOOT_RESERVE_MINUTES} minutes were left in the maintenance window (kept for the reboot)` })));
      return { ...summary, ending: 'window' };
    }
    const startTime = iso(clock.now().getTime());
    if (await reporter.progress([progressOf(update, 'InProgress', { startTime })])) {
      await reporter.progress([progressOf(update, 'NotStarted')]);
      return { ...summary, ending: 'canceled' };
    }
    const outcome = await installOne(update, before, context);
    if (outcome.status === 'Succeeded') summary.installed++;
    else summary.failures.push(`${nameOf(update)}: ${outcome.errorResult ?? outcome.status}`);
    if (outcome.rebootRequired) summary.rebootRequired = true;
    await reporter.progress([progressOf(update, outcome.status, { startTime, endTime: iso(clock.now().getTime()), ...(outcome.errorResult ? { errorResult: outcome.errorResult } : {}) })]);
  }
  return summary;
}

/** A WSUS-managed machine may only install what its WSUS server approved. */
async function installOne(update: AssessedUpdate, before: AssessmentResult, context: InstallJobContext): Promise<UpdateInstallOutcome> {
  if (update.approved === false && before.windows?.wsusServer) {
    return { status: 'Failed', errorResult: `KB${update.kbid ?? '?'} is not approved on the WSUS server ${before.windows.wsusServer}: approve it there (or exclude it from the deployment)` };
  }
  try {
    return await context.installer.install(update);
  } catch (error) {
    return { status: 'Failed', errorResult: messageOf(error) };
  }
}

async function restartPendingNow(context: InstallJobContext): Promise<boolean> {
  try {
    return await context.restartPending();
  } catch {
    return false;
  }
}

async function scanQuietly(context: InstallJobContext): Promise<void> {
  try {
    await context.scan();
  } catch (error) {
    context.log?.(`the scan after installing failed: ${messageOf(error)}`);
  }
}

function completion(ending: Ending, failures: string[], total: number, rebooted: boolean): JobCompletion {
  if (ending === 'canceled') return { status: 'Canceled', rebooted };
  if (ending === 'window') return { status: 'MaintenanceWindowExceeded', rebooted, error: `the maintenance window closed before every update had started${failures.length ? `; ${failures.length} failed: ${failures.join('; ')}` : ''}` };
  if (failures.length > 0) return { status: 'Failed', rebooted, error: `${failures.length} of ${total} update(s) failed: ${failures.join('; ')}`.slice(0, 4000) };
  return { status: 'Succeeded', rebooted };
}

export function progressOf(u: AssessedUpdate, status: UpdateProgress['status'], extra: Partial<UpdateProgress> = {}): UpdateProgress {
  return {
    title: u.title,
    classification: u.classification,
    ...(u.updateId ? { updateId: u.updateId } : {}),
    ...(u.kbid ? { kbId: u.kbid } : {}),
    ...(u.product ? { product: u.product } : {}),
    ...(u.productArch ? { productArch: u.productArch } : {}),
    ...(u.productVersion ? { version: u.productVersion } : {}),
    status,
    ...extra,
  };
}

function nameOf(u: AssessedUpdate): string {
  return u.kbid ? `KB${u.kbid}` : u.product || u.title;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
