/** The deployment runs of the sample fleet: which machines and updates each covered, and when. */
import { nsPerMinute } from './catalogue-types.js';
import type { OsType } from './os-profiles.js';
import type { Prng } from './prng.js';

/** The run every sample query that names a run refers to. */
export const namedRun = 'DeploymentName';

export interface DeploymentRun {
  index: number;
  name: string;
  correlationId: string;
  osType: OsType;
  classifications: readonly string[];
  startNs: bigint;
  windowMinutes: number;
  /** Share of the machines of the OS the run targets. */
  targetShare: number;
  /** Share of installs that fail for reasons other than WSUS approval. */
  failureRate: number;
  /** Failure messages for this OS, one picked per failed install. */
  errors: readonly string[];
}

interface RunPlan {
  name: string;
  osType: OsType;
  classifications: readonly string[];
  /** Where in the window the run starts (0 = start, 1 = end). */
  at: number;
  windowMinutes: number;
  targetShare: number;
  failureRate: number;
}

const windowsErrors = [
  'Installation failure: Windows failed to install the update with error 0x80070643.',
  'Install failed with HRESULT 0x800f0922: the servicing stack could not complete the operation.',
  'Download failed with 0x80240438: no route to the Windows Update service.',
];
const linuxErrors = [
  'Package manager exited with code 100: E: Sub-process /usr/bin/dpkg returned an error code (1)',
  'Error: Transaction test error: file /usr/lib64/libssl.so.3 conflicts between attempted installs.',
  'Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1842 (unattended-upgr)',
];

const plans: readonly RunPlan[] = [
  { name: 'Patch Tuesday - Windows', osType: 'Windows', classifications: ['Critical Updates', 'Security Updates', 'Update Rollups', 'Definition Updates'], at: 0.3, windowMinutes: 180, targetShare: 0.6, failureRate: 0.04 },
  { name: 'Linux security weekly', osType: 'Linux', classifications: ['Critical Updates', 'Security Updates'], at: 0.5, windowMinutes: 120, targetShare: 0.7, failureRate: 0.05 },
  // A short window so that some installs are cut off (MaintenanceWindowExceeded).
  { name: namedRun, osType: 'Windows', classifications: ['Critical Updates', 'Security Updates', 'Updates'], at: 0.72, windowMinutes: 60, targetShare: 0.5, failureRate: 0.08 },
  { name: 'Linux all updates - monthly', osType: 'Linux', classifications: ['Critical Updates', 'Security Updates', 'Other Updates'], at: 0.86, windowMinutes: 45, targetShare: 0.3, failureRate: 0.06 },
];

/** Runs start on the hour, spread over the window so that later assessments show what they installed. */
export function buildRuns(windowStartNs: bigint, minutes: number, rng: Prng): DeploymentRun[] {
  const hourNs = 60n * nsPerMinute;
  return plans.map((plan, index) => {
    const offset = BigInt(Math.floor(minutes * plan.at)) * nsPerMinute;
    const startNs = ((windowStartNs + offset) / hourNs) * hourNs + hourNs;
    return {
      index,
      name: plan.name,
      correlationId: rng.guid(),
      osType: plan.osType,
      classifications: plan.classifications,
      startNs,
      windowMinutes: plan.windowMinutes,
      targetShare: plan.targetShare,
      failureRate: plan.failureRate,
      errors: plan.osType === 'Windows' ? windowsErrors : linuxErrors,
    };
  });
}
