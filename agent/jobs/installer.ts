/** Installs one update on the machine: Linux through its package manager; the simulator brings a Windows one. */
import type { AssessedUpdate } from '../assessment.js';
import type { PackageManager } from '../package-managers/types.js';

export interface UpdateInstallOutcome {
  status: 'Succeeded' | 'Failed' | 'InstallFailed';
  /** Cause and fix, for the operator (UpdateRunProgress.ErrorResult). */
  errorResult?: string;
  /** This update needs a reboot to finish. */
  rebootRequired?: boolean;
}

export interface UpdateInstaller {
  install(update: AssessedUpdate): Promise<UpdateInstallOutcome>;
}

export function packageManagerInstaller(packageManager: PackageManager): UpdateInstaller {
  return {
    async install(update) {
      const [result] = await packageManager.install([{ name: update.product, arch: update.productArch, version: update.productVersion }]);
      if (!result) return { status: 'Failed', errorResult: `${packageManager.name} returned no result for ${update.product}` };
      return {
        status: result.status,
        ...(result.errorResult === undefined ? {} : { errorResult: result.errorResult }),
        ...(result.rebootRequired ? { rebootRequired: true } : {}),
      };
    },
  };
}
