/**
 * Stored functions (saved searches): a name in the catalog whose KQL body is expanded inline
 * wherever a query names it — as a source (`MyGroup | count`), a call (`MyGroup()`), or a
 * subquery (`Computer in (MyGroup)`). The body sees only the catalog (tables and other stored
 * functions), never the caller's `let`s, like the reference's stored functions.
 *
 * An error inside a body is reported at the caller's reference to it, naming the stored
 * function and the line:column inside its text, so the caller's editor can underline it.
 */
import type { Expr, Script } from '../syntax/ast.js';
import { Codes, QueryError, diagnostic, lineColumn, type Range } from '../syntax/diagnostics.js';
import { parse } from '../syntax/parse.js';
import type { Rel } from '../plan/plan.js';
import type { StoredFunction } from '../schema/tables.js';
import { fail, quoted, type Resolver } from './context.js';
import { Bindings } from './scope.js';
import { bindLets } from './user-functions.js';

/** Parsed bodies, per stored function object (a changed saved search is a new object). */
const parsedBodies = new WeakMap<StoredFunction, ReturnType<typeof parse>>();

/** The stored function a name means here: a `let` of the same name, or a table, takes precedence. */
export function storedFunctionOf(name: string, bindings: Bindings): StoredFunction | undefined {
  if (bindings.lookup(name) || bindings.catalog.table(name)) return undefined;
  return bindings.catalog.functions?.get(name);
}

export function storedFunctionNames(bindings: Bindings): string[] {
  return [...(bindings.catalog.functions?.keys() ?? [])];
}

/** Expands `name` (referenced at `at` in the caller's text) into its plan. */
export function expandStoredFunction(name: string, stored: StoredFunction, at: Expr, args: readonly Expr[], bindings: Bindings, resolver: Resolver): Rel {
  if (args.length > 0) {
    fail(Codes.wrongArity, at, `${quoted(name)} is a saved search and takes no arguments; write ${name} or ${name}().`);
  }
  const stack = (resolver.expanding ??= []);
  if (stack.includes(name)) {
    const cycle = [...stack.slice(stack.indexOf(name)), name].join(' → ');
    fail(Codes.unsupported, at, `Saved searches cannot use themselves: ${cycle}. Remove the reference to ${quoted(name)} from one of them.`);
  }
  const script = parsedBody(name, stored, at.range);
  (resolver.usedFunctions ??= new Set()).add(name);
  const render = resolver.render;
  stack.push(name);
  try {
    const scope = bindLets(script.statements, Bindings.root(bindings.catalog), resolver);
    return resolver.tabular(script.query!, scope);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw relocated(error, name, stored.body, at.range);
  } finally {
    stack.pop();
    // A body's own `render` describes its own result, not the caller's.
    resolver.render = render;
  }
}

function parsedBody(name: string, stored: StoredFunction, at: Range): Script {
  let parsed = parsedBodies.get(stored);
  if (!parsed) {
    parsed = parse(stored.body);
    parsedBodies.set(stored, parsed);
  }
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) throw relocated(new QueryError(error), name, stored.body, at);
  if (!parsed.script.query) {
    throw new QueryError(diagnostic(Codes.syntax, at, `Saved search ${quoted(name)} has no query after its let statements; edit it to end with a query.`));
  }
  return parsed.script;
}

/** The body's diagnostic, moved to the caller's reference and prefixed with where it is in the body. */
function relocated(error: QueryError, name: string, body: string, at: Range): QueryError {
  const inner = error.diagnostic;
  const { line, column } = lineColumn(body, inner.range.start);
  return new QueryError(diagnostic(inner.code, at, `In saved search ${quoted(name)} at ${line}:${column}: ${inner.message}`, inner.severity));
}
