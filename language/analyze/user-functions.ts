/** User-defined functions (`let f = (a:long, T:(x:string)) { … };`), expanded inline at each call. */
import type { Call, Expr, FunctionDef, LetStatement } from '../syntax/ast.js';
import { Codes } from '../syntax/diagnostics.js';
import { convertTo } from '../functions/operators.js';
import type { SqlArg } from '../functions/spec.js';
import type { Rel } from '../plan/plan.js';
import { fail, quoted, refusedAt, type Resolver } from './context.js';
import { resolveScalar, type ScalarEnv } from './expressions.js';
import type { Binding, Bindings } from './scope.js';
import { isTabularExpr } from './tabular-test.js';

const maxDepth = 32;

type FunctionBinding = Extract<Binding, { kind: 'function' }>;

export function callUserFunction(call: Call, binding: FunctionBinding, env: ScalarEnv): SqlArg {
  return withDepth(env.resolver, call, () => {
    const body = bodyBindings(call, binding, env);
    return resolveScalar(binding.def.body.result, { resolver: env.resolver, bindings: body, row: undefined });
  });
}

export function callTabularFunction(call: Call, binding: FunctionBinding, resolver: Resolver, bindings: Bindings): Rel {
  return withDepth(resolver, call, () => {
    const body = bodyBindings(call, binding, { resolver, bindings, row: undefined });
    return resolver.tabular(binding.def.body.result, body);
  });
}

function withDepth<T>(resolver: Resolver, call: Call, run: () => T): T {
  if (resolver.depth >= maxDepth) {
    fail(Codes.unsupported, call, `Function calls nest deeper than ${maxDepth} levels; recursion is not supported.`);
  }
  resolver.depth++;
  try {
    return run();
  } finally {
    resolver.depth--;
  }
}

/** Binds each parameter to its argument, then the body's own `let`s, over the definition's scope. */
function bodyBindings(call: Call, binding: FunctionBinding, env: ScalarEnv): Bindings {
  const def = binding.def;
  checkArity(call, def);
  let scope = binding.scope;
  def.params.forEach((param, i) => {
    const arg = call.args[i] ?? param.default;
    if (!arg) return;
    scope = scope.with(param.name.name, bindArgument(param, arg, env));
  });
  return bindLets(def.body.statements, scope, env.resolver);
}

function checkArity(call: Call, def: FunctionDef): void {
  const required = def.params.filter((p) => !p.default).length;
  if (call.args.length < required || call.args.length > def.params.length) {
    const expected = required === def.params.length ? `${required}` : `${required} to ${def.params.length}`;
    fail(Codes.wrongArity, call, `${quoted(call.name.name)} takes ${expected} argument(s), but ${call.args.length} were given.`);
  }
}

function bindArgument(param: FunctionDef['params'][number], arg: Expr, env: ScalarEnv): Binding {
  if (param.type.kind === 'tabular') {
    const rel = env.resolver.tabular(arg, env.bindings);
    for (const column of param.type.columns) {
      const found = rel.schema.find((c) => c.name === column.name.name);
      if (!found) {
        fail(Codes.unknownColumn, arg, `The table passed as ${quoted(param.name.name)} needs a column ${quoted(column.name.name)} (${column.type}).`);
      }
    }
    return { kind: 'tabular', rel };
  }
  const value = resolveScalar(arg, env);
  const type = param.type.type;
  if (value.type === type) return { kind: 'scalar', value };
  const sql = refusedAt(arg, env.resolver.emit, () => convertTo(value, type, env.resolver.emit));
  return { kind: 'scalar', value: { sql, type } };
}

/** `let` statements, in order; each sees the ones before it. */
export function bindLets(statements: readonly LetStatement[], scope: Bindings, resolver: Resolver): Bindings {
  let current = scope;
  for (const statement of statements) current = current.with(statement.name.name, bindLet(statement, current, resolver));
  return current;
}

function bindLet(statement: LetStatement, scope: Bindings, resolver: Resolver): Binding {
  const value = statement.value;
  if (value.kind === 'function') return { kind: 'function', def: value, scope };
  if (isTabularExpr(value, scope, undefined)) return { kind: 'tabular', rel: resolver.tabular(value, scope) };
  return { kind: 'scalar', value: resolveScalar(value, { resolver, bindings: scope, row: undefined }) };
}
