/**
 * `POST /v1/workspaces/{workspaceId}/query` and `POST /api/query`: the reference's query API.
 * JSON answers `{"tables":[{"name":"PrimaryResult","columns":[…],"rows":[…]}],"render":…,
 * "truncated":…}` with longs beyond 2^53 as exact numbers; `Accept:
 * application/vnd.apache.arrow.stream` answers an Arrow IPC stream instead.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Codes, lineColumn, type Diagnostic } from '../language/syntax/diagnostics.js';
import { rowJson } from '../language/values/json-text.js';
import type { QueryResult } from '../language/values/result.js';
import { recordTables } from '../language/schema/tables.js';
import { arrowStreamType, header } from './auth.js';
import { resultToArrow } from './arrow-result.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { failedQueryStatus, sendBusy } from './query-answers.js';
import { parseTimespan, type TimeWindow } from '../contracts/timespan.js';
import { access } from './access-policy.js';

/**
 * Longest query text the API compiles. Parsing and compiling run on the event loop, about
 * 0.4 ms per KB (a 0.85 MB in-list held it 0.3–0.6 s on top of the query's own work), and
 * ingestion acknowledgements wait behind them; 256 KB keeps that near 0.1 s.
 */
export const maxQueryTextLength = 256 * 1024;

const bodySchema = {
  type: 'object',
  required: ['query'],
  properties: {
    query: { type: 'string', minLength: 1 },
    timespan: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

interface QueryBody {
  query: string;
  timespan?: string;
}

export async function queryRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const config = { access: access.reading };
  app.post('/api/query', { schema: { body: bodySchema }, config }, (request, reply) => runQuery(context, request, reply));
  app.post('/v1/workspaces/:workspaceId/query', { schema: { body: bodySchema }, config }, (request, reply) => {
    const { workspaceId } = request.params as { workspaceId: string };
    if (workspaceId.toLowerCase() !== context.workspace.workspaceId.toLowerCase()) {
      return sendError(reply, 404, 'WorkspaceNotFound', `Workspace '${workspaceId}' is not served here; this server holds workspace ${context.workspace.workspaceId} (upkeep workspace show).`);
    }
    return runQuery(context, request, reply);
  });
  app.get('/api/schema', { config }, async () => ({
    tables: recordTables.map((t) => ({ name: t.name, description: t.description ?? '', columns: t.columns.map(({ name, type }) => ({ name, type })) })),
    // Saved searches a query can use by name, with the columns they return (for completion).
    functions: context.savedSearches.functionInfos(),
  }));
}

async function runQuery(context: ServerContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const body = request.body as QueryBody;
  if (body.query.length > maxQueryTextLength) {
    return sendError(
      reply,
      400,
      'QueryTooLong',
      `The query text is ${body.query.length.toLocaleString('en-US')} characters; the limit is ${maxQueryTextLength.toLocaleString('en-US')} (256 KB). ` +
        'Shorten it: match long value lists with a pattern or a join against a table instead of listing every value.',
    );
  }
  const now = context.now();
  let window: TimeWindow | undefined;
  if (body.timespan !== undefined) {
    const parsed = parseTimespan(body.timespan, now);
    if ('error' in parsed) return sendError(reply, 400, 'InvalidTimespan', parsed.error);
    window = parsed;
  }
  const cancel = new AbortController();
  // Abort the query when the client gives up, so DuckDB stops working for nobody.
  // (The request stream closes once its body is read; the response closing early means the client left.)
  const onClose = () => {
    if (!reply.raw.writableEnded) cancel.abort();
  };
  reply.raw.once('close', onClose);
  try {
    const outcome = await context.queries.run({ text: body.query, now, signal: cancel.signal, ...(window ? { window } : {}) });
    if ('busy' in outcome) return sendBusy(reply);
    if (!outcome.ok) return sendDiagnostics(reply, body.query, outcome.diagnostics);
    if (header(request, 'accept').toLowerCase().includes(arrowStreamType)) {
      return reply.code(200).type(arrowStreamType).send(Buffer.from(resultToArrow(outcome.result)));
    }
    return reply.code(200).type('application/json; charset=utf-8').send(resultJson(outcome.result));
  } finally {
    reply.raw.off('close', onClose);
  }
}

/** The reference's response shape, written by hand so bigints print as exact numbers. */
export function resultJson(result: QueryResult): string {
  const columns = JSON.stringify(result.columns.map(({ name, type }) => ({ name, type })));
  const rows = result.rows.map(rowJson).join(',');
  return `{"tables":[{"name":"PrimaryResult","columns":${columns},"rows":[${rows}]}],"render":${JSON.stringify(result.render)},"truncated":${result.truncated}}`;
}

function sendDiagnostics(reply: FastifyReply, text: string, diagnostics: Diagnostic[]): FastifyReply {
  const first = diagnostics[0];
  const details = diagnostics.map((d) => ({ ...lineColumn(text, d.range.start), code: d.code, message: d.message }));
  const status = failedQueryStatus(first);
  // Out of memory is the query's size, not a passing fault: a 4xx, so clients do not retry it as they would a 503.
  const code = status === 504 ? 'QueryTimeout' : status === 500 ? 'InternalError' : first?.code === Codes.outOfMemory ? 'QueryMemoryExceeded' : 'BadArgumentError';
  return sendError(reply, status, code, first?.message ?? 'The query failed.', { details });
}
