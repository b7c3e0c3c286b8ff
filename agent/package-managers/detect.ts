/** Picks the machine's package manager. */
import { Apt } from './apt.js';
import { Dnf } from './dnf.js';
import type { PackageManager } from './types.js';
import { Zypper } from './zypper.js';

export async function detectPackageManager(): Promise<PackageManager | undefined> {
  // dnf before yum: on RHEL 8+ `yum` is dnf under another name.
  for (const candidate of [new Apt(), new Dnf({ tool: 'dnf' }), new Zypper(), new Dnf({ tool: 'yum' })]) {
    if (await candidate.detect()) return candidate;
  }
  return undefined;
}
