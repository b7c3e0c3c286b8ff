/**
 * `POST /api/logs` — the reference's HTTP Data Collector API: SharedKey-signed, `Log-Type`
 * names the table, the body is a JSON array of records (or an Arrow IPC stream). Answers 200
 * only once every record is committed to the database file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestOptions } from '../contracts/ingest.js';
import { arrowStreamType, header, mediaType } from './auth.js';
import type { ServerContext } from './context.js';
import { rawBodyParser } from './raw-body.js';
import { access } from './access-policy.js';

export const logsPath = '/api/logs';

const headersSchema = {
  type: 'object',
  required: ['log-type'],
  properties: {
    'log-type': { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,99}$' },
    'time-generated-field': { type: 'string', minLength: 1, maxLength: 100 },
    'x-upkeep-batch-id': { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export async function logsRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  rawBodyParser(app, ['application/json', arrowStreamType], context.bodyLimitBytes);
  app.post(logsPath, {
    schema: { headers: headersSchema },
    config: { access: access.signedIngesting },
    onRequest: async (_request, reply) => {
      if (context.ingestAdmission && !context.ingestAdmission.admit(reply)) return reply;
    },
    handler: (request, reply) => ingest(context, request, reply),
  });
}

async function ingest(context: ServerContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const body = request.body as Buffer;
  const table = stripCustomSuffix(header(request, 'log-type'));
  const options: IngestOptions = { receivedAt: context.now() };
  const timeField = header(request, 'time-generated-field');
  if (timeField) options.timeGeneratedField = timeField;
  const batchId = header(request, 'x-upkeep-batch-id');
  if (batchId) options.batchId = batchId;
  const result = mediaType(request) === arrowStreamType
    ? await context.ingestor.ingestArrow(table, body, options)
    : await context.ingestor.ingestJsonText(table, body, options);
  return reply.code(200).send({ stored: result.stored, duplicateBatch: result.duplicateBatch });
}

/** The reference suffixes custom tables with `_CL`; senders written for it may name ours that way. */
export function stripCustomSuffix(table: string): string {
  return table.endsWith('_CL') ? table.slice(0, -3) : table;
}
