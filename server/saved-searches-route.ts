/**
 * Saved searches (app/saved/): bearer reader/operator/admin to read, operator/admin to change.
 * `:id` is the saved search's id or its name.
 *
 *   GET    /api/saved-searches                    → { savedSearches: SavedSearch[] }
 *   POST   /api/saved-searches  SavedSearchInput  → 201 SavedSearch | 400 InvalidSavedSearch { problems } | 409 SavedSearchNameTaken
 *   GET    /api/saved-searches/:id                → SavedSearch | 404 SavedSearchNotFound
 *   PUT    /api/saved-searches/:id  SavedSearchInput → SavedSearch | 400 | 404 | 409 SavedSearchNameTaken / SavedSearchInUse { users }
 *   DELETE /api/saved-searches/:id                → 204 | 404 | 409 SavedSearchInUse { users }
 *   GET    /api/saved-searches/:id/users          → { users: SavedSearchUser[] }  (what a rename or delete would be refused for)
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SavedOutcome } from '../app/saved/saved-search-service.js';
import type { ServerContext } from './context.js';
import { access } from './access-policy.js';


interface IdParams {
  id: string;
}

export async function savedSearchesRoute(app: FastifyInstance, context: ServerContext): Promise<void> {
  const service = context.savedSearches;
  app.get('/api/saved-searches', { config: { access: access.reading } }, async () => ({ savedSearches: service.list() }));

  app.post('/api/saved-searches', { config: { access: access.operating } }, async (request, reply) => answer(reply, await service.create(request.body), 201));

  app.get<{ Params: IdParams }>('/api/saved-searches/:id', { config: { access: access.reading } }, async (request, reply) => answer(reply, service.get(request.params.id)));

  app.get<{ Params: IdParams }>('/api/saved-searches/:id/users', { config: { access: access.reading } }, async (request, reply) => {
    const found = service.get(request.params.id);
    return found.ok ? { users: await service.usersOf(found.value) } : answer(reply, found);
  });

  app.put<{ Params: IdParams }>('/api/saved-searches/:id', { config: { access: access.operating } }, async (request, reply) =>
    answer(reply, await service.replace(request.params.id, request.body)),
  );

  app.delete<{ Params: IdParams }>('/api/saved-searches/:id', { config: { access: access.operating } }, async (request, reply) => {
    const outcome = await service.delete(request.params.id);
    return outcome.ok ? reply.code(204).send() : answer(reply, outcome);
  });
}

function answer<T>(reply: FastifyReply, outcome: SavedOutcome<T>, status = 200): FastifyReply {
  if (outcome.ok) return reply.code(status).send(outcome.value);
  const { ok: _ok, status: refusedWith, ...error } = outcome;
  return reply.code(refusedWith).type('application/json').send({ error });
}
