/** The Data Collector API's SharedKey signature (the reference's HTTP Data Collector API). */
import { createHmac } from 'node:crypto';

/** Paths the agent signs: the server checks the signature over the path it was sent to. */
export const logsPath = '/api/logs';
export const registerPath = '/api/agents/register';
/** The agent job protocol (contracts/updates.ts). */
export const nextJobPath = '/api/agents/jobs/next';
export const jobProgressPath = (jobId: string): string => `/api/agents/jobs/${encodeURIComponent(jobId)}/progress`;
export const jobCompletePath = (jobId: string): string => `/api/agents/jobs/${encodeURIComponent(jobId)}/complete`;

/** base64(HMAC-SHA256(base64decode(key), "POST\n<bytes>\napplication/json\nx-ms-date:<date>\n<path>")). */
export function sharedKeySignature(key: string, contentLength: number, date: string, path: string): string {
  const stringToSign = `POST\n${contentLength}\napplication/json\nx-ms-date:${date}\n${path}`;
  return createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign, 'utf8').digest('base64');
}

/** Headers of a signed JSON POST: `date` is an RFC 1123 date (`Date.prototype.toUTCString`). */
export function signedHeaders(workspaceId: string, key: string, body: Buffer, path: string, date = new Date().toUTCString()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-ms-date': date,
    authorization: `SharedKey ${workspaceId}:${sharedKeySignature(key, body.length, date, path)}`,
  };
}
