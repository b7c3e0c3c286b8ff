/**
 * How the routes that run queries (query API, dashboard tiles, compliance views) answer the
 * runner's refusals, so the same outcome gets the same status everywhere.
 */
import type { FastifyReply } from 'fastify';
import { Codes, type Diagnostic } from '../language/syntax/diagnostics.js';
import { sendError } from './errors.js';

/** Every query slot and the line behind them are taken (the runner's `busy`). */
export function sendBusy(reply: FastifyReply): FastifyReply {
  reply.header('retry-after', '1');
  return sendError(reply, 429, 'TooManyQueries', 'Too many queries are running or waiting; retry in a moment.');
}

/** 504 past the time limit, 500 for an internal error, else 400 (the query's own problem). */
export function failedQueryStatus(first: Diagnostic | undefined): 400 | 500 | 504 {
  return first?.code === Codes.timeout ? 504 : first?.code === Codes.internal ? 500 : 400;
}
