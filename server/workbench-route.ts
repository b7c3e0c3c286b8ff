/**
 * Serves the built web workbench (workbench/dist, from `npm run build:workbench`) at `/`.
 * Each file goes out pre-compressed when the client accepts it (the build writes `.br` and `.gz`
 * beside every compressible file: server/static-file.ts chooses). Hashed assets
 * (`/assets/<name>-<hash>.<ext>`) are cached for a year, as their names change with their
 * content; index.html and any other file is revalidated every time (ETag → 304), so a new build
 * is picked up at once. Any other path without a file extension is a client route of the
 * single-page app and gets index.html. API routes are registered as static routes and win over
 * this wildcard; unknown API paths still answer the JSON 404.
 */
import { createReadStream } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { packageFile } from '../app/package-files.js';
import { sendError } from './errors.js';
import { acceptedCodings, chooseFile, etagOf, matchesEtag } from './static-file.js';
import { access } from './access-policy.js';

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
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.kql': 'text/plain; charset=utf-8',
};

/** Vite names what it emits `assets/<name>-<8-character hash>.<ext>`; only those may be cached for good. */
const hashedAsset = /^\/assets\/(?:[^/]+\/)*[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$/;
const immutable = 'public, max-age=31536000, immutable';

const apiPrefixes = ['/api/', '/v1/', '/dataCollectionRules/'];
const notBuilt = (dist: string) =>
  `The web workbench is not built (no ${dist}/index.html). Build it with \`npm run build:workbench\` (\`npm start\` builds it before serving), then reload this page.`;

export async function workbenchRoute(app: FastifyInstance, distDir: string = defaultWorkbenchDist): Promise<void> {
  const dist = resolve(distDir);
  // HEAD is declared with GET (not left to fastify's automatic HEAD route) so it answers the
  // same headers, Content-Length included, without reading the file.
  const serve = { method: ['GET', 'HEAD'], config: { access: access.public }, handler: (request: FastifyRequest, reply: FastifyReply) => serveFile(dist, request, reply) };
  app.route({ ...serve, url: '/' });
  app.route({ ...serve, url: '/*' });
}

async function serveFile(dist: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const path = decodedPath(request.url);
  if (path === undefined) return sendError(reply, 400, 'BadRequest', `${request.url} is not a well-formed URL path (a % not followed by two hex digits); fix the link.`);
  if (apiPrefixes.some((p) => path.startsWith(p))) return sendError(reply, 404, 'NotFound', `${request.method} ${path} is not an Upkeep API route.`);
  if (extname(path) !== '') {
    const sent = await sendFile(dist, path, hashedAsset.test(path) ? immutable : 'no-cache', request, reply);
    return sent ?? sendError(reply, 404, 'NotFound', `${path} is not part of the workbench.`);
  }
  const sent = await sendFile(dist, '/index.html', 'no-cache', request, reply);
  return sent ?? reply.code(503).type('text/plain; charset=utf-8').send(notBuilt(dist));
}

/** The router refuses malformed escapes first (400); this only keeps a stray one from becoming a 500. */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

/** Sends `path` of dist (or its 304); undefined when dist has no such file. */
async function sendFile(dist: string, path: string, cacheControl: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const file = await chooseFile(dist, path, acceptedCodings(request.headers['accept-encoding']));
  if (!file) return undefined;
  const etag = etagOf(file);
  reply.header('vary', 'Accept-Encoding').header('cache-control', cacheControl).header('etag', etag);
  if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
  if (file.coding !== 'identity') reply.header('content-encoding', file.coding);
  reply.header('content-length', file.size).type(contentTypes[extname(path)] ?? 'application/octet-stream');
  return request.method === 'HEAD' ? reply.send() : reply.send(createReadStream(file.path));
}
