/** What `upkeep agent` does (its flags are in agent-command.ts). */
import type { Command } from 'commander';
import { defaultStateDir } from '../agent/agent-state.js';
import { ConfigError, isBase64Key, readAgentConfig, readCaFile, readKeyFile, type AgentConfig } from '../agent/agent-config.js';
import { runAgentProcess } from '../agent/agent-process.js';
import type { ServerEndpoint } from '../agent/transport.js';

export interface AgentFlags {
  config?: string;
  server?: string;
  workspace?: string;
  keyFile?: string;
  key?: string;
  once?: boolean;
  stateDir?: string;
  ca?: string;
  allowReboot?: boolean;
}

export async function agent(flags: AgentFlags, command: Command): Promise<void> {
  const usage = (message: string): never => command.error(`upkeep agent: ${message}`, { exitCode: 2, code: 'upkeep.usage' });
  let settings: Settings;
  try {
    settings = agentSettings(flags, usage);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return usage(error.message);
  }
  process.exitCode = await runAgentProcess({ ...settings, once: flags.once ?? false, command: 'upkeep agent' });
}

interface Settings {
  endpoint: ServerEndpoint;
  stateDir: string;
  allowReboot: boolean;
}

function agentSettings(flags: AgentFlags, usage: (message: string) => never): Settings {
  const config: Partial<AgentConfig> = flags.config ? readAgentConfig(flags.config) : {};
  const server = flags.server ?? config.server;
  const workspaceId = flags.workspace ?? config.workspaceId;
  if (server === undefined || workspaceId === undefined) return usage('give --config FILE, or --server URL, --workspace ID and --key-file FILE.');
  if (!/^https?:\/\//.test(server)) usage(`--server must be an http:// or https:// URL, got "${server}".`);
  const caFile = flags.ca ?? config.caFile;
  return {
    endpoint: { url: server, workspaceId, key: agentKey(flags, config, usage), ...(caFile ? { ca: readCaFile(caFile, flags.ca ? '--ca' : config.path ?? '--config') } : {}) },
    stateDir: flags.stateDir ?? config.stateDir ?? defaultStateDir(),
    allowReboot: flags.allowReboot ?? config.allowReboot ?? false,
  };
}

function agentKey(flags: AgentFlags, config: Partial<AgentConfig>, usage: (message: string) => never): string {
  if (flags.key !== undefined) {
    if (!isBase64Key(flags.key)) usage('--key must be the workspace key in base64 (as `upkeep workspace show` prints it).');
    return flags.key;
  }
  if (flags.keyFile) return readKeyFile(flags.keyFile, '--key-file');
  if (config.keyFile) return readKeyFile(config.keyFile, `${config.path} (key_file)`);
  return usage('give --key-file FILE (a file holding the workspace key, chmod 600).');
}
