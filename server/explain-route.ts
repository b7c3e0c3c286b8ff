/**
 * `POST /api/query/explain` `{"query"}` → `{"sql","columns","tables","render"}`: the SQL a query
 * compiles to on this server, without running it (the workbench's "Show SQL"; the CLI's
 * `upkeep sql`), in the dialect of the store the server queries. Errors are the query route's:
 * 400 BadArgumentError with `details`.
 */
import type { FastifyInstance } from 'fastify';
import { lineColumn } from '../language/syntax/diagnostics.js';
import type { ServerContext } from './context.js';
import { sendError } from './errors.js';
import { access } from './access-policy.js';

const bodySchema = {
  type: 'object',
  required: ['query'],
  properties: { query: { type: 'string', minLength: 1, maxLength: 1_000_000 } },
} as const;

export async function explainRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  app.post('/api/query/explain', {
    schema: { body: bodySchema },
    config: { access: access.reading },
  }, async (request, reply) => {
    const { query } = request.body as { query: string };
    const compiled = context.queries.compile(query, context.now());
    if (!compiled.ok) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      const details = errors.map((d) => ({ ...lineColumn(query, d.range.start), code: d.code, message: d.message }));
      return sendError(reply, 400, 'BadArgumentError', errors[0]?.message ?? 'The query does not compile.', { details });
    }
    return { sql: compiled.sql, columns: compiled.columns, tables: compiled.tables, render: compiled.render };
  });
}
