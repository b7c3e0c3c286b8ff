/**
 * `POST /dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01` — the reference's
 * newer Logs Ingestion API, so its official SDK works unchanged: bearer token, JSON array body
 * (gzip when `Content-Encoding: gzip`), stream `Custom-<Table>` or `Microsoft-<Table>`, 204.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { header } from './auth.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { stripCustomSuffix } from './logs-route.js';
import { rawBodyParser } from './raw-body.js';
import { access } from './access-policy.js';

const gunzipAsync = promisify(gunzip);

const paramsSchema = {
  type: 'object',
  required: ['ruleId', 'stream'],
  properties: {
    ruleId: { type: 'string', minLength: 1, maxLength: 200 },
    stream: { type: 'string', pattern: '^(Custom|Microsoft)-[A-Za-z][A-Za-z0-9_]{0,99}$' },
  },
} as const;

const querySchema = {
  type: 'object',
  required: ['api-version'],
  properties: { 'api-version': { type: 'string', minLength: 1 } },
} as const;

export async function ingestionRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  rawBodyParser(app, ['application/json'], context.bodyLimitBytes);
  app.post('/dataCollectionRules/:ruleId/streams/:stream', {
    schema: { params: paramsSchema, querystring: querySchema },
    config: { access: access.ingesting },
    onRequest: async (_request, reply) => {
      if (context.ingestAdmission && !context.ingestAdmission.admit(reply)) return reply;
    },
    handler: (request, reply) => upload(context, request, reply),
  });
}

async function upload(context: ServerContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const { stream } = request.params as { stream: string };
  const table = stripCustomSuffix(stream.slice(stream.indexOf('-') + 1));
  const encoding = header(request, 'content-encoding').toLowerCase();
  let body = request.body as Buffer;
  if (encoding === 'gzip') {
    try {
      body = await gunzipAsync(body, { maxOutputLength: context.bodyLimitBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        return sendError(reply, 413, 'PayloadTooLarge', `The decompressed body is larger than ${Math.round(context.bodyLimitBytes / 1_048_576)} MB; upload fewer records per request.`);
      }
      return sendError(reply, 400, 'InvalidContentEncoding', `Content-Encoding is gzip but the body is not valid gzip (${(error as Error).message}).`);
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    return sendError(reply, 415, 'UnsupportedContentEncoding', `Content-Encoding '${encoding}' is not supported; send gzip or no encoding.`);
  }
  await context.ingestor.ingestJsonText(table, body, { receivedAt: context.now() });
  return reply.code(204).send();
}
