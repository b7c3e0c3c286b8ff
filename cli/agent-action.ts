/** What `upkeep agent` does (its flags are in agent-command.ts). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultStateDir } from '../agent/agent-state.js';
import { runAgent, type RunAgentSummary } from '../agent/run-agent.js';
import { RegistrationError } from '../agent/transport.js';

export interface AgentFlags {
  server: string;
  workspace: string;
  key: string;
  once?: boolean;
  stateDir?: string;
  ca?: string;
  allowReboot?: boolean;
}

export async function agent(flags: AgentFlags, command: Command): Promise<void> {
  const usage = (message: string): never => command.error(`upkeep agent: ${message}`, { exitCode: 2, code: 'upkeep.usage' });
  if (!/^https?:\/\//.test(flags.server)) usage(`--server must be an http:// or https:// URL, got "${flags.server}".`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(flags.key)) usage('--key must be the workspace key in base64 (as `upkeep workspace show` prints it).');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const stateDir = flags.stateDir ?? defaultStateDir();
    const summary = await runAgent({
      endpoint: { url: flags.server, workspaceId: flags.workspace, key: flags.key, ...(flags.ca ? { ca: readCa(flags.ca, usage) } : {}) },
      stateDir,
      once: flags.once ?? false,
      allowReboot: flags.allowReboot ?? false,
      signal: controller.signal,
      log: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
    });
    process.stdout.write(`${describe(summary, stateDir)}\n`);
    process.exitCode = summary.exit === 'delivered' ? 0 : summary.exit === 'stopped' ? 1 : 75;
  } catch (error) {
    if (!(error instanceof RegistrationError)) throw error;
    process.stderr.write(`upkeep agent: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function readCa(path: string, usage: (message: string) => never): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return usage(`cannot read --ca ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function describe(summary: RunAgentSummary, stateDir: string): string {
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
