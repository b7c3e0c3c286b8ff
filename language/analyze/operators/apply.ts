/** Dispatches one pipeline operator to its resolver. One file per operator family. */
import type { Operator } from '../../syntax/ast.js';
import { Codes } from '../../syntax/diagnostics.js';
import type { Rel } from '../../plan/plan.js';
import { fail, type Resolver } from '../context.js';
import type { Bindings } from '../scope.js';
import { resolveExpand } from './expand.js';
import { resolveJoin, resolveLookup } from './join.js';
import { resolveParse } from './parse.js';
import { extend, project, projectAway, projectKeep, projectRename, projectReorder } from './project.js';
import { resolveRender } from './render.js';
import { resolveSeries } from './series.js';
import { count, distinct, getschema, serialize, sort, take, top, where } from './rows.js';
import { resolveSummarize } from './summarize.js';
import { resolveUnion } from './union.js';

export interface PipeState {
  resolver: Resolver;
  /** Grows with `as Name`, so later operators of the same query can refer to it. */
  bindings: Bindings;
}

export function applyOperator(op: Operator, input: Rel, state: PipeState, isLast: boolean): Rel {
  switch (op.kind) {
    case 'where':
      return where(op, input, state);
    case 'project':
      return project(op, input, state);
    case 'project-away':
      return projectAway(op, input, state);
    case 'project-keep':
      return projectKeep(op, input, state);
    case 'project-rename':
      return projectRename(op, input, state);
    case 'project-reorder':
      return projectReorder(op, input, state);
    case 'extend':
      return extend(op, input, state);
    case 'summarize':
      return resolveSummarize(op, input, state);
    case 'distinct':
      return distinct(op, input, state);
    case 'top':
      return top(op, input, state);
    case 'take':
      return take(op, input, state);
    case 'sort':
      return sort(op, input, state);
    case 'count':
      return count(op, input);
    case 'join':
      return resolveJoin(op, input, state);
    case 'lookup':
      return resolveLookup(op, input, state);
    case 'mv-expand':
      return resolveExpand(op, input, state);
    case 'make-series':
      return resolveSeries(op, input, state);
    case 'parse':
      return resolveParse(op, input, state);
    case 'union':
      return resolveUnion(op.source, input, state);
    case 'render':
      return resolveRender(op, input, state, isLast);
    case 'getschema':
      return getschema(input, state);
    case 'as':
      state.bindings = state.bindings.with(op.name.name, { kind: 'tabular', rel: input });
      return input;
    case 'serialize':
      return serialize(op, input, state);
    case 'error-operator':
      return fail(Codes.syntax, op, 'This operator could not be read; fix the syntax error here first.');
  }
}
