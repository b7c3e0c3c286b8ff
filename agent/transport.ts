/**
 * The agent's HTTP client: agent registration and the Data Collector API (`POST /api/logs`),
 * both signed with the workspace key. Outcomes say what the caller must do — done, drop,
 * stop, or retry later — so delivery policy lives in the sender, not here.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { describeNetworkError, describeTlsError, isTlsError } from './connection-errors.js';
import type { AgentTable, LogRecord } from './records.js';
import { logsPath, registerPath, signedHeaders } from './signature.js';

export interface ServerEndpoint {
  /** Base URL of the server, e.g. https://upkeep.example.com:8080 */
  url: string;
  workspaceId: string;
  /** The workspace's shared key (base64). */
  key: string;
  /** Extra trusted CA certificate(s), PEM — for a server with a private or self-signed authority. */
  ca?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Parallel connections to the server (requests beyond it queue). */
  maxSockets?: number;
}

export type SendOutcome =
  | { kind: 'accepted' }
  /** 400/413: the records are bad; sending them again cannot help. */
  | { kind: 'rejected'; status: number; message: string }
  /** 403 (or 401): wrong workspace id or key; nothing will get through until that is fixed. */
  | { kind: 'unauthorized'; message: string }
  /** 429/5xx or a network error: try again later (after `retryAfterMs` when the server said). */
  | { kind: 'retry'; message: string; retryAfterMs?: number }
  /** TLS verification failed: retrying will not help until the trust problem is fixed. */
  | { kind: 'tls'; message: string };

export interface Registration {
  machineId: string;
  fqdn: string;
  osType: 'Linux' | 'Windows';
}

export interface RegistrationResult {
  agentId: string;
  workspaceId: string;
}

/** Registration failed: `message` names the cause and the fix. */
export class RegistrationError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'RegistrationError';
  }
}

interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export class UpkeepClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly https: boolean;

  constructor(readonly endpoint: ServerEndpoint) {
    this.https = new URL(endpoint.url).protocol === 'https:';
    const options = { keepAlive: true, maxSockets: endpoint.maxSockets ?? 4 };
    this.agent = this.https ? new HttpsAgent({ ...options, ...(endpoint.ca ? { ca: endpoint.ca } : {}) }) : new HttpAgent(options);
  }

  close(): void {
    this.agent.destroy();
  }

  async sendLogs(table: AgentTable, records: readonly LogRecord[], batchId?: string): Promise<SendOutcome> {
    const body = Buffer.from(JSON.stringify(records), 'utf8');
    const headers = { ...this.signed(body, logsPath), 'log-type': table, ...(batchId ? { 'x-upkeep-batch-id': batchId } : {}) };
    let response: HttpResponse;
    try {
      response = await this.post(logsPath, headers, body);
    } catch (error) {
      const url = this.urlOf(logsPath);
      if (isTlsError(error)) return { kind: 'tls', message: await describeTlsError(error, url) };
      return { kind: 'retry', message: describeNetworkError(error, url) };
    }
    return classifyLogsResponse(response);
  }

  /** Registers the machine with the workspace; throws RegistrationError naming the cause and the fix. */
  async register(registration: Registration): Promise<RegistrationResult> {
    const body = Buffer.from(JSON.stringify({ ...registration, workspaceId: this.endpoint.workspaceId }), 'utf8');
    const url = this.urlOf(registerPath);
    let response: HttpResponse;
    try {
      response = await this.post(registerPath, this.signed(body, registerPath), body);
    } catch (error) {
      if (isTlsError(error)) throw new RegistrationError(`cannot register: ${await describeTlsError(error, url)}`, false);
      throw new RegistrationError(`cannot register: ${describeNetworkError(error, url)}`, true);
    }
    return registrationResult(response, url, this.endpoint.workspaceId);
  }

  private signed(body: Buffer, path: string): Record<string, string> {
    return signedHeaders(this.endpoint.workspaceId, this.endpoint.key, body, path);
  }

  private urlOf(path: string): string {
    return new URL(path, this.endpoint.url).toString();
  }

  private post(path: string, headers: Record<string, string>, body: Buffer): Promise<HttpResponse> {
    const send = this.https ? httpsRequest : httpRequest;
    const timeoutMs = this.endpoint.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const req = send(this.urlOf(path), { method: 'POST', headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function classifyLogsResponse(response: HttpResponse): SendOutcome {
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'accepted' };
  const message = `${status}: ${serverMessage(response)}`;
  if (status === 401 || status === 403) {
    return { kind: 'unauthorized', message: `the server refused the credentials (${message}): check --workspace and --key (the workspace id and its primary key from \`upkeep workspace show\`).` };
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = retryAfter(response.headers['retry-after']);
    return { kind: 'retry', message: `server busy or failing (${message})`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { kind: 'rejected', status, message };
}

function registrationResult(response: HttpResponse, url: string, workspaceId: string): RegistrationResult {
  const { status } = response;
  if (status === 200 || status === 201) {
    const parsed: unknown = safeJson(response.body);
    if (isRecord(parsed) && typeof parsed.agentId === 'string') {
      return { agentId: parsed.agentId, workspaceId: typeof parsed.workspaceId === 'string' ? parsed.workspaceId : workspaceId };
    }
    throw new RegistrationError(`cannot register: ${url} answered without an agentId (${response.body.slice(0, 200)}): is that an Upkeep server?`, false);
  }
  const message = serverMessage(response);
  if (status === 409) {
    throw new RegistrationError(`cannot register: ${message} Remove the machine from the other workspace (or reuse that workspace's id and key), then register again.`, false);
  }
  if (status === 401 || status === 403) {
    throw new RegistrationError(`cannot register: the server refused the credentials (${status}: ${message}): check --workspace and --key.`, false);
  }
  if (status === 404) throw new RegistrationError(`cannot register: ${url} does not exist (404): check --server points at the Upkeep server.`, false);
  const retryable = status === 429 || status >= 500;
  throw new RegistrationError(`cannot register: ${url} answered ${status}: ${message}`, retryable);
}

/** The `error.message` of an `{"error":{"code","message"}}` body, or the body itself. */
function serverMessage(response: HttpResponse): string {
  const parsed: unknown = safeJson(response.body);
  if (isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.message === 'string') return parsed.error.message;
  return response.body.slice(0, 500) || '(empty body)';
}

/** Retry-After is seconds or an HTTP date. */
function retryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
