/**
 * The agent's HTTP client: agent registration, the Data Collector API (`POST /api/logs`) and
 * the agent job protocol (next job, progress, completion), all signed with the workspace key. Outcomes say what the caller must do — done, drop,
 * stop, or retry later — so delivery policy lives in the sender, not here.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AgentJob, JobCompletion, JobProgress, NextJobRequest } from '../contracts/updates.js';
import { describeNetworkError, describeTlsError, isTlsError } from './connection-errors.js';
import { MalformedJob, parseAgentJob } from './jobs/parse-job.js';
import type { AgentTable, LogRecord } from './records.js';
import { jobCompletePath, jobProgressPath, logsPath, nextJobPath, registerPath, signedHeaders } from './signature.js';

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
  /** The machine's time for x-ms-date (default: the system clock); simulated machines sign with their virtual clock. */
  now?: () => number;
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

/** A job-protocol call: its answer, or what the caller must do, classified as for sendLogs. */
export type CallOutcome<T> = { kind: 'accepted'; value: T } | Exclude<SendOutcome, { kind: 'accepted' }>;

/** The agent job protocol as the job runner needs it (UpkeepClient; tests may stand in). */
export interface JobTransport {
  /** `value` is undefined when no job came within `waitSeconds` (204). */
  nextJob(request: NextJobRequest): Promise<CallOutcome<AgentJob | undefined>>;
  reportProgress(jobId: string, progress: JobProgress): Promise<CallOutcome<{ cancel: boolean }>>;
  completeJob(jobId: string, completion: JobCompletion): Promise<CallOutcome<null>>;
}

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

export class UpkeepClient implements JobTransport {
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

  /** Long-polls for the machine's next job; the request stays open up to `waitSeconds` (the server caps it at 30). */
  async nextJob(request: NextJobRequest): Promise<CallOutcome<AgentJob | undefined>> {
    const pollMs = (Math.max(0, request.waitSeconds) + 15) * 1000;
    const outcome = await this.call(nextJobPath, request, Math.max(this.endpoint.timeoutMs ?? 30_000, pollMs));
    if (outcome.kind !== 'accepted') return outcome;
    if (outcome.value.status === 204 || outcome.value.body.trim() === '') return { kind: 'accepted', value: undefined };
    try {
      return { kind: 'accepted', value: parseAgentJob(safeJson(outcome.value.body)) };
    } catch (error) {
      if (!(error instanceof MalformedJob)) throw error;
      return { kind: 'rejected', status: outcome.value.status, message: `the server sent a job the agent cannot run: ${error.message}` };
    }
  }

  /** Reports status changes of a job's updates; the answer says whether the run was cancelled. */
  async reportProgress(jobId: string, progress: JobProgress): Promise<CallOutcome<{ cancel: boolean }>> {
    const outcome = await this.call(jobProgressPath(jobId), progress);
    if (outcome.kind !== 'accepted') return outcome;
    const parsed: unknown = safeJson(outcome.value.body);
    return { kind: 'accepted', value: { cancel: isRecord(parsed) && parsed.cancel === true } };
  }

  async completeJob(jobId: string, completion: JobCompletion): Promise<CallOutcome<null>> {
    const outcome = await this.call(jobCompletePath(jobId), completion);
    return outcome.kind === 'accepted' ? { kind: 'accepted', value: null } : outcome;
  }

  /** A signed JSON POST whose answer is classified as /api/logs answers are. */
  private async call(path: string, payload: unknown, timeoutMs?: number): Promise<CallOutcome<HttpResponse>> {
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    let response: HttpResponse;
    try {
      response = await this.post(path, this.signed(body, path), body, timeoutMs);
    } catch (error) {
      const url = this.urlOf(path);
      if (isTlsError(error)) return { kind: 'tls', message: await describeTlsError(error, url) };
      return { kind: 'retry', message: describeNetworkError(error, url) };
    }
    const outcome = classifyLogsResponse(response);
    return outcome.kind === 'accepted' ? { kind: 'accepted', value: response } : outcome;
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
    const date = this.endpoint.now ? new Date(this.endpoint.now()).toUTCString() : undefined;
    return signedHeaders(this.endpoint.workspaceId, this.endpoint.key, body, path, date);
  }

  private urlOf(path: string): string {
    return new URL(path, this.endpoint.url).toString();
  }

  private post(path: string, headers: Record<string, string>, body: Buffer, timeoutMs = this.endpoint.timeoutMs ?? 30_000): Promise<HttpResponse> {
    const send = this.https ? httpsRequest : httpRequest;
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
