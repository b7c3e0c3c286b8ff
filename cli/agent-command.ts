/**
 * `upkeep agent`: the machine agent (agent/), the same as the packaged `upkeep-agent`. Settings
 * come from `--config FILE` (agent/agent-config.ts), flags given beside it win; or from the flags
 * alone. The key is read from `--key-file` (or the configuration's key_file); `--key` exists for
 * development only, since a command line is visible to every user in `ps`.
 * Exit codes: 0 delivered, 1 stopped (credentials, TLS, registration), 2 bad usage, 75 records left spooled.
 */
import { Command } from 'commander';
import { defaultStateDir } from '../agent/agent-state.js';
import { ConfigError, isBase64Key, readAgentConfig, readCaFile, readKeyFile, type AgentConfig } from '../agent/agent-config.js';
import { runAgentProcess } from '../agent/agent-process.js';
import type { ServerEndpoint } from '../agent/transport.js';

interface AgentFlags {
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

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('Run the machine agent: register with the server, send heartbeats every minute and update assessments every 3 hours, and run the update deployments and "assess now" requests the server sends.')
    .option('--config <file>', 'read the settings from this file (as /etc/upkeep/agent.conf of the upkeep-agent package); flags given too win')
    .option('--server <url>', 'the Upkeep server, e.g. https://upkeep.example.com:8080')
    .option('--workspace <id>', 'workspace id (upkeep workspace show)')
    .option('--key-file <file>', 'a file holding the workspace primary key (base64), readable by its owner only (chmod 600)')
    .option('--key <key>', 'the workspace primary key itself (development only: other users see it in ps)')
    .option('--once', 'register, send one heartbeat and one assessment, deliver, exit (for cron and tests)')
    .option('--state-dir <dir>', 'where the agent keeps its identity and spool (default /var/lib/upkeep, else ~/.upkeep-agent)')
    .option('--allow-reboot', 'let update deployments reboot this machine (shutdown -r +1) when their reboot option asks; without it the restart is left pending for an administrator')
    .option('--ca <file>', 'PEM file of an extra authority to trust (a private or self-signed server certificate)')
    .action(async (flags: AgentFlags, command: Command) => {
      const usage = (message: string): never => command.error(`upkeep agent: ${message}`, { exitCode: 2, code: 'upkeep.usage' });
      let settings: Settings;
      try {
        settings = agentSettings(flags, usage);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return usage(error.message);
      }
      process.exitCode = await runAgentProcess({ ...settings, once: flags.once ?? false, command: 'upkeep agent' });
    });
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
