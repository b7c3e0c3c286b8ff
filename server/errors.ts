/** The error body every route answers with: `{"error":{"code","message",…}}`. */
import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { IngestError } from '../contracts/ingest.js';

export interface ErrorBody {
  error: { code: string; message: string; recordIndex?: number; field?: string; details?: { line: number; column: number; code: string; message?: string }[] };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Omit<ErrorBody['error'], 'code' | 'message'> = {}): FastifyReply {
  return reply.code(status).type('application/json').send({ error: { code, message, ...extra } } satisfies ErrorBody);
}

export function sendIngestError(reply: FastifyReply, error: IngestError): FastifyReply {
  const { status, code, message, recordIndex, field, retryAfterSeconds } = error.problem;
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  return sendError(reply, status, code, message, {
    ...(recordIndex !== undefined ? { recordIndex } : {}),
    ...(field !== undefined ? { field } : {}),
  });
}

/** Framework errors (body limits, schema validation, content types) in the same shape. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, bodyLimitBytes: number): FastifyReply {
  if (error instanceof IngestError) return sendIngestError(reply, error);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = `${Math.round(bodyLimitBytes / 1_048_576)} MB`;
    return sendError(reply, 413, 'PayloadTooLarge', `The request body is larger than ${limit}; split the records into several requests of at most ${limit} each.`);
  }
  if (error.validation) {
    return sendError(reply, 400, 'InvalidRequest', `The request does not fit this route: ${error.message}.`);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendError(reply, 415, 'UnsupportedMediaType', `Content-Type '${request.headers['content-type'] ?? ''}' is not accepted here; send application/json${request.url.startsWith('/api/logs') ? ' or application/vnd.apache.arrow.stream' : ''}.`);
  }
  const status = error.statusCode ?? 500;
  if (status < 500) return sendError(reply, status, 'BadRequest', error.message);
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, 500, 'InternalError', `The server failed to handle the request (${error.message}); nothing of this request was stored. Retry, and report it if it persists.`);
}

/**
 * Requests node's HTTP parser refuses before any route sees them (headers over node's limit,
 * broken HTTP), answered in the same error shape instead of fastify's default text.
 */
export function handleClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = clientErrorAnswer(error.code);
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

function clientErrorAnswer(code: string | undefined): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'HeaderFieldsTooLarge', `The request headers are larger than ${Math.round(maxHeaderSize / 1024)} KB; send fewer or shorter headers (a signed upload needs only Authorization, Content-Type, Log-Type, x-ms-date and the optional batch id and time field).`];
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'RequestTimeout', 'The request was not received in time; send it again.'];
  return [400, 'BadRequest', `The request is not valid HTTP (${code ?? 'unreadable'}); check the client.`];
}
