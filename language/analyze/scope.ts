/**
 * What a name can mean while resolving: columns of the current row, let-bound scalars,
 * let-bound tables, user functions, and the catalogue's tables. Scopes chain outwards.
 */
import type { FunctionDef } from '../syntax/ast.js';
import type { SqlArg } from '../functions/spec.js';
import type { Catalog } from '../schema/tables.js';
import type { Column } from '../schema/types.js';
import type { Rel } from '../plan/plan.js';

export type Binding =
  | { kind: 'scalar'; value: SqlArg }
  | { kind: 'tabular'; rel: Rel }
  | { kind: 'function'; def: FunctionDef; scope: Bindings };

/** Let-bound names, innermost first. Immutable: `with` returns a new chain. */
export class Bindings {
  private constructor(
    private readonly names: ReadonlyMap<string, Binding>,
    private readonly outer: Bindings | undefined,
    readonly catalog: Catalog,
  ) {}

  static root(catalog: Catalog): Bindings {
    return new Bindings(new Map(), undefined, catalog);
  }

  with(name: string, binding: Binding): Bindings {
    return new Bindings(new Map([[name, binding]]), this, this.catalog);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.outer?.lookup(name);
  }

  allNames(): string[] {
    return [...this.names.keys(), ...(this.outer?.allNames() ?? [])];
  }
}

/** The row a scalar expression is evaluated against. */
export interface RowScope {
  columns: readonly Column[];
  /** SQL prefix for column references (`l.` / `r.` inside joins); empty for a single input. */
  qualifier?: string;
}

export function findColumn(row: RowScope | undefined, name: string): Column | undefined {
  return row?.columns.find((c) => c.name === name);
}
