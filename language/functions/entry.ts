/**
 * A catalogue entry: the shared FunctionSpec plus an optional cross-argument check
 * (e.g. `bin`'s rounding step must suit its value). Helpers here keep entries one-liners.
 */
import type { ScalarType } from '../schema/types.js';
import type { FunctionName } from './names.js';
import type { ArgSpec, EmitContext, FunctionSpec, SqlArg, SqlTemplate } from './spec.js';

/** A problem found with the arguments; `code` defaults to a type mismatch. */
export interface ArgProblem {
  message: string;
  argIndex?: number;
  code?: string;
}

export interface FunctionEntry extends FunctionSpec {
  name: FunctionName;
  validate?: (args: readonly SqlArg[]) => ArgProblem | undefined;
}

/** A dialect's SQL for catalogue functions, by name: a misspelt name does not compile. */
export type FunctionOverrides = Partial<Record<FunctionName, SqlTemplate>>;

export function arg(name: string, type: ArgSpec['type'], extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, type, ...extra };
}

export function optional(name: string, type: ArgSpec['type'], extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, type, optional: true, ...extra };
}

export type Render = (args: SqlArg[], ctx: EmitContext) => string;

/** The type of argument `i`, for `returns` functions. */
export function typeOf(i: number): (args: readonly SqlArg[]) => ScalarType {
  return (args) => args[i]?.type ?? 'dynamic';
}

/** A constant argument's text value (format strings, regexes, part names). */
export function constantText(a: SqlArg | undefined): string | undefined {
  const v = a?.constant?.value;
  return v === null || v === undefined ? undefined : String(v);
}
