/** Bodies kept as bytes: signatures cover them as sent, and the writer parses JSON in worker threads. */
import type { FastifyInstance } from 'fastify';

export function rawBodyParser(app: FastifyInstance, contentTypes: string[], bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  for (const type of contentTypes) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  }
}
