/**
 * Checks what the server sent as a job before the agent acts on it: an install job drives the
 * package manager as root, so a malformed one is refused with a message, never guessed at.
 */
import { rebootOptions, type AgentJob, type InstallJob } from '../../contracts/updates.js';

export class MalformedJob extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedJob';
  }
}

export function parseAgentJob(value: unknown): AgentJob {
  if (!isRecord(value)) throw new MalformedJob('the job is not a JSON object');
  const jobId = text(value, 'jobId');
  if (value.kind === 'assess') return { kind: 'assess', jobId };
  if (value.kind !== 'install') throw new MalformedJob(`job ${jobId}: unknown kind ${JSON.stringify(value.kind)} (expected "assess" or "install"): is the agent older than the server?`);
  const os = text(value, 'os');
  if (os !== 'Windows' && os !== 'Linux') throw new MalformedJob(`job ${jobId}: os must be Windows or Linux, got ${JSON.stringify(os)}`);
  const reboot = text(value, 'reboot');
  if (!(rebootOptions as readonly string[]).includes(reboot)) throw new MalformedJob(`job ${jobId}: reboot must be one of ${rebootOptions.join(', ')}, got ${JSON.stringify(reboot)}`);
  const windowEndsAt = text(value, 'windowEndsAt');
  if (Number.isNaN(Date.parse(windowEndsAt))) throw new MalformedJob(`job ${jobId}: windowEndsAt is not an ISO instant: ${JSON.stringify(windowEndsAt)}`);
  const job: InstallJob = {
    kind: 'install',
    jobId,
    runId: text(value, 'runId'),
    updateRunName: text(value, 'updateRunName'),
    os,
    classifications: texts(value, 'classifications') as InstallJob['classifications'],
    excludedUpdates: texts(value, 'excludedUpdates'),
    includedUpdates: texts(value, 'includedUpdates'),
    reboot: reboot as InstallJob['reboot'],
    windowEndsAt,
  };
  return job;
}

function text(value: Record<string, unknown>, field: string): string {
  const found = value[field];
  if (typeof found !== 'string' || found === '') throw new MalformedJob(`the job's ${field} must be a non-empty string, got ${JSON.stringify(found)}`);
  return found;
}

function texts(value: Record<string, unknown>, field: string): string[] {
  const found = value[field] ?? [];
  if (!Array.isArray(found) || !found.every((item) => typeof item === 'string')) throw new MalformedJob(`the job's ${field} must be an array of strings, got ${JSON.stringify(found)}`);
  return found as string[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
