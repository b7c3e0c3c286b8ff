/** The error body every route answers with: `{"error":{"code","message",…}}`. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { IngestError } from '../ingest/contract.js';

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
