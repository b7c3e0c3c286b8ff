/**
 * The agent's configuration file (default /etc/upkeep/agent.conf): `key = value` lines, `#`
 * starts a comment line. The workspace key is not in it but in its own file (`key_file`),
 * readable by the agent's user only, so it never appears on a command line (`ps`) or in a
 * file an operator shows around. Every problem names the file, the line and the fix.
 */
import { readFileSync, statSync } from 'node:fs';
import { systemStateDir } from './agent-state.js';
import type { ServerEndpoint } from './transport.js';

export const defaultConfigPath = '/etc/upkeep/agent.conf';
export const defaultKeyFile = '/etc/upkeep/agent.key';

export interface AgentConfig {
  /** The file it came from (for messages). */
  path: string;
  server: string;
  workspaceId: string;
  keyFile: string;
  stateDir: string;
  caFile?: string;
  allowReboot: boolean;
  /** The line each setting came from. */
  lines: Partial<Record<Setting, number>>;
}

/** A configuration problem; `message` names the file (and line) and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Setting = 'server' | 'workspace_id' | 'key_file' | 'state_dir' | 'ca_file' | 'allow_reboot';

const settings: Record<Setting, string> = {
  server: 'the Upkeep server URL',
  workspace_id: 'the workspace id (`upkeep workspace show`)',
  key_file: `the file holding the workspace key (default ${defaultKeyFile})`,
  state_dir: `where the agent keeps its identity and spool (default ${systemStateDir})`,
  ca_file: 'a PEM file of an extra authority to trust (a private or self-signed server certificate)',
  allow_reboot: 'true to let update deployments reboot this machine (default false)',
};

export interface ParsedConfig {
  values: Partial<Record<Setting, string>>;
  /** The line each value came from. */
  lines: Partial<Record<Setting, number>>;
}

export function parseConfig(text: string, path: string): ParsedConfig {
  const parsed: ParsedConfig = { values: {}, lines: {} };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const at = `${path} line ${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals < 0) throw new ConfigError(`${at}: "${line}" is not a setting: write \`key = value\` (a # starts a comment line).`);
    const key = line.slice(0, equals).trim();
    const value = unquote(line.slice(equals + 1).trim());
    if (!isSetting(key)) throw new ConfigError(`${at}: unknown setting "${key}": the settings are ${Object.keys(settings).join(', ')}.`);
    if (value === '') throw new ConfigError(`${at}: ${key} has no value: give ${settings[key]}, or delete the line.`);
    if (parsed.lines[key] !== undefined) throw new ConfigError(`${at}: ${key} is already set on line ${parsed.lines[key]}: keep one of the two.`);
    parsed.values[key] = value;
    parsed.lines[key] = index + 1;
  });
  return parsed;
}

/** Reads and checks the file: server and workspace_id must be set. Does not read the key file. */
export function readAgentConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the agent configuration ${path}: ${reason(error)}. Pass another file with --config, or create it (key = value lines: server, workspace_id, key_file).`);
  }
  return configFrom(parseConfig(text, path), path);
}

function configFrom({ values, lines }: ParsedConfig, path: string): AgentConfig {
  const required = (key: 'server' | 'workspace_id', example: string): string => {
    const value = values[key];
    if (value === undefined) throw new ConfigError(`${path}: ${key} is not set: add a line \`${key} = ${example}\` (${settings[key]}).`);
    return value;
  };
  const server = required('server', 'https://upkeep.example.com:8080');
  if (!/^https?:\/\/[^\s/]+/.test(server)) throw new ConfigError(`${path} line ${lines.server}: server must be an http:// or https:// URL, got "${server}".`);
  return {
    path,
    server,
    workspaceId: required('workspace_id', '00000000-0000-0000-0000-000000000000'),
    keyFile: values.key_file ?? defaultKeyFile,
    stateDir: values.state_dir ?? systemStateDir,
    ...(values.ca_file ? { caFile: values.ca_file } : {}),
    allowReboot: values.allow_reboot === undefined ? false : parseBoolean(values.allow_reboot, `${path} line ${lines.allow_reboot}`),
    lines,
  };
}

/** Where a setting came from, for messages: `/etc/upkeep/agent.conf line 4 (key_file)`. */
export function settingOrigin(config: Pick<AgentConfig, 'path' | 'lines'>, key: Setting): string {
  const line = config.lines[key];
  return line === undefined ? `${config.path} (${key}, not set: the default)` : `${config.path} line ${line} (${key})`;
}

/** The server connection the configuration describes: reads the key file and the CA file. */
export function agentEndpoint(config: AgentConfig): ServerEndpoint {
  return {
    url: config.server,
    workspaceId: config.workspaceId,
    key: readKeyFile(config.keyFile, settingOrigin(config, 'key_file')),
    ...(config.caFile ? { ca: readCaFile(config.caFile, settingOrigin(config, 'ca_file')) } : {}),
  };
}

/**
 * The workspace key from its file. Like ssh with a private key, a file that group or others
 * may read is refused (the key signs as any machine of the workspace), and so is one owned by
 * another user than the agent's (or root).
 */
export function readKeyFile(path: string, origin: string): string {
  let mode: number;
  let owner: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ConfigError(`${origin}: the key file ${path} is not a regular file: put the workspace key (\`upkeep workspace show\`) in a file there.`);
    mode = stat.mode & 0o777;
    owner = stat.uid;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${origin}: cannot read the key file ${path}: ${reason(error)}. Write the workspace key (\`upkeep workspace show\`) into it and run chmod 600 ${path}.`);
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(`${origin}: the key file ${path} is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${path}.`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && owner !== uid && owner !== 0) {
    throw new ConfigError(`${origin}: the key file ${path} belongs to uid ${owner}, not to the agent's user (uid ${uid}) or root: run chown ${uid} ${path}.`);
  }
  let key: string;
  try {
    key = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`${origin}: cannot read the key file ${path}: ${reason(error)}. Run the agent as the file's owner (root for the service).`);
  }
  if (!isBase64Key(key)) throw new ConfigError(`${origin}: the key file ${path} does not hold a workspace key: put the base64 key \`upkeep workspace show\` prints, alone, in it.`);
  return key;
}

export function isBase64Key(key: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(key);
}

/** The extra authority's PEM text. */
export function readCaFile(path: string, origin: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${origin}: cannot read the CA file ${path}: ${reason(error)}.`);
  }
}

function parseBoolean(value: string, at: string): boolean {
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^(false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${at}: allow_reboot must be true or false, got "${value}".`);
}

function isSetting(key: string): key is Setting {
  return Object.hasOwn(settings, key);
}

/** A value may be written in double quotes (`server = "https://…"`). */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
