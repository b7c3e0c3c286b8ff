/** Builds the resolver that stages share: scalar and tabular resolution plus SQL for subqueries. */
import type { EmitContext } from '../functions/spec.js';
import { emitSql } from '../sql/emit.js';
import type { Resolver } from './context.js';
import { resolveTabular } from './tabular.js';

export function createResolver(emit: EmitContext): Resolver {
  const resolver: Resolver = {
    emit,
    depth: 0,
    tabular: (expr, bindings) => resolveTabular(expr, bindings, resolver),
    sql: (rel) => emitSql(rel, emit.dialect),
  };
  return resolver;
}
