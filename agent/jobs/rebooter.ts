/**
 * Reboots after a deployment, per its reboot option. The real one reboots only when the agent
 * was started with `--allow-reboot`: the agent runs as root, and a reboot takes down everything
 * else on the machine (databases, other services, a developer's session, a CI runner running the
 * tests), so the machine's administrator opts in explicitly. Without it the agent leaves the
 * restart pending, which the next assessment reports (UpdateSummary.RestartPending) and the
 * compliance view shows.
 */
import { PackageManagerError, runCommand } from '../package-managers/run-command.js';

export interface RebootOutcome {
  /** The reboot happened or is scheduled. */
  rebooted: boolean;
  message: string;
}

export interface Rebooter {
  reboot(reason: string): Promise<RebootOutcome>;
}

export const restartPendingMessage = 'restart pending: the agent runs without --allow-reboot, so the reboot is left to the machine\'s administrator';

export class SystemRebooter implements Rebooter {
  constructor(private readonly allowed: boolean, private readonly delayMinutes = 1) {}

  async reboot(reason: string): Promise<RebootOutcome> {
    if (!this.allowed) return { rebooted: false, message: restartPendingMessage };
    try {
      // A delay, not `now`: the agent reports the run's outcome before the machine goes down.
      await runCommand('shutdown', ['-r', `+${this.delayMinutes}`, `Upkeep: ${reason}`], { timeoutMs: 30_000 });
      return { rebooted: true, message: `reboot scheduled in ${this.delayMinutes} minute(s)` };
    } catch (error) {
      if (!(error instanceof PackageManagerError)) throw error;
      return { rebooted: false, message: `restart pending: the reboot failed (${error.message}); reboot the machine by hand` };
    }
  }
}
