/**
 * Serves the built web workbench (workbench/dist, from `npm run build:workbench`) at `/`.
 * Hashed assets under /assets/ are cached for a year (their names change with their content);
 * index.html is revalidated every time. Any other path without a file extension is a client
 * route of the single-page app and gets index.html. API routes are registered as static routes
 * and win over this wildcard; unknown API paths still answer the JSON 404.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packageFile } from '../app/package-files.js';
import { sendError } from './errors.js';

export const defaultWorkbenchDist = packageFile('workbench/dist');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.kql': 'text/plain; charset=utf-8',
};

const apiPrefixes = ['/api/', '/v1/', '/dataCollectionRules/'];
const notBuilt = (dist: string) =>
  `The web workbench is not built (no ${dist}/index.html). Build it with \`npm run build:workbench\` (\`npm start\` builds it before serving), then reload this page.`;

export async function workbenchRoute(app: FastifyInstance, distDir: string = defaultWorkbenchDist): Promise<void> {
  const dist = resolve(distDir);
  const serve = (request: FastifyRequest, reply: FastifyReply) => serveFile(dist, request, reply);
  app.get('/', serve);
  app.get('/*', serve);
}

async function serveFile(dist: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
  if (apiPrefixes.some((p) => path.startsWith(p))) return sendError(reply, 404, 'NotFound', `GET ${path} is not an Upkeep API route.`);
  if (extname(path) !== '') {
    const file = resolve(dist, `.${path}`);
    if (!file.startsWith(dist + sep) || !(await isFile(file))) return sendError(reply, 404, 'NotFound', `${path} is not part of the workbench.`);
    const immutable = path.startsWith('/assets/');
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.type(contentTypes[extname(file)] ?? 'application/octet-stream').send(await readFile(file));
  }
  const index = resolve(dist, 'index.html');
  if (!(await isFile(index))) return reply.code(503).type('text/plain; charset=utf-8').send(notBuilt(dist));
  return reply.header('cache-control', 'no-cache').type(contentTypes['.html']!).send(await readFile(index));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
