/**
 * The agent as a process, shared by `upkeep-agent` (agent/main.ts) and `upkeep agent`: stops
 * cleanly on SIGINT/SIGTERM, prints what was delivered, and turns the outcome into the exit
 * code: 0 delivered, 1 stopped (credentials, TLS, registration), 75 records left spooled.
 */
import type { ServerEndpoint } from './transport.js';
import { RegistrationError } from './transport.js';
import { runAgent, type RunAgentSummary } from './run-agent.js';

export interface AgentProcessOptions {
  endpoint: ServerEndpoint;
  stateDir: string;
  once: boolean;
  allowReboot: boolean;
  /** Names the command in messages (`upkeep-agent`, `upkeep agent`). */
  command: string;
}

export async function runAgentProcess(options: AgentProcessOptions): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runAgent({
      endpoint: options.endpoint,
      stateDir: options.stateDir,
      once: options.once,
      allowReboot: options.allowReboot,
      signal: controller.signal,
      log: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
    });
    process.stdout.write(`${describeSummary(summary, options.stateDir)}\n`);
    return summary.exit === 'delivered' ? 0 : summary.exit === 'stopped' ? 1 : 75;
  } catch (error) {
    if (!(error instanceof RegistrationError)) throw error;
    process.stderr.write(`${options.command}: ${error.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

export function describeSummary(summary: RunAgentSummary, stateDir: string): string {
  const { stats } = summary;
  const sent = `agent ${summary.agentId}: ${stats.recordsAcked} records in ${stats.batchesSent} batches acknowledged`;
  const extra = [
    stats.retries > 0 ? `${stats.retries} retries` : '',
    stats.batchesDropped > 0 ? `${stats.batchesDropped} batches rejected by the server and dropped` : '',
    summary.spooledBatches > 0 ? `${summary.spooledBatches} batches left in ${stateDir}/spool for the next run` : '',
    summary.problem ?? '',
  ].filter((s) => s !== '');
  return extra.length > 0 ? `${sent}; ${extra.join('; ')}` : sent;
}
