/**
 * What the HTTP routes do with alert rules: validate (against the query's compiled columns),
 * store, list instances, preview an evaluation; answered as outcomes the routes map to statuses.
 * Also answers the saved searches' question "which alert rules use this one?", so renaming or
 * deleting a saved search a rule uses is refused.
 */
import { compile } from '../../language/compile.js';
import { recordCatalog } from '../../language/schema/tables.js';
import type { AlertInstance, AlertRule, AlertRuleInput, EvaluationPreview, Problem } from '../../contracts/alerts.js';
import type { AlertEvaluator } from './alert-evaluator.js';
import { DuplicateAlertRuleNameError, type AlertStore } from './alert-store.js';
import type { SavedSearchSource } from './sources.js';
import { validateAlertRule, type ColumnsOf } from './validate.js';

export type AlertRefusal =
  | { status: 400; code: 'InvalidAlertRule'; message: string; problems: Problem[] }
  | { status: 404; code: 'AlertRuleNotFound'; message: string }
  | { status: 409; code: 'AlertRuleNameTaken'; message: string; problems: Problem[] };

export type AlertOutcome<T> = { ok: true; value: T } | ({ ok: false } & AlertRefusal);

export interface AlertRuleUser {
  kind: string;
  name: string;
  id: string;
  field: string;
}

export class AlertService {
  constructor(
    readonly store: AlertStore,
    readonly evaluator: AlertEvaluator,
    private readonly now: () => Date,
    private readonly savedSearches?: SavedSearchSource,
  ) {}

  list(): Promise<AlertRule[]> {
    return this.store.list();
  }

  async get(idOrName: string): Promise<AlertOutcome<AlertRule>> {
    const rule = await this.store.resolve(idOrName);
    return rule ? { ok: true, value: rule } : notFound(idOrName);
  }

  async create(body: unknown): Promise<AlertOutcome<AlertRule>> {
    const validated = this.validate(body);
    if (!validated.ok) return validated;
    return this.stored(() => this.store.create(validated.value, this.now()));
  }

  async replace(idOrName: string, body: unknown): Promise<AlertOutcome<AlertRule>> {
    const current = await this.store.resolve(idOrName);
    if (!current) return notFound(idOrName);
    const validated = this.validate(body);
    if (!validated.ok) return validated;
    const replaced = await this.stored(() => this.store.replace(current.id, validated.value, this.now()));
    if (replaced.ok && replaced.value === undefined) return notFound(idOrName);
    return replaced as AlertOutcome<AlertRule>;
  }

  async delete(idOrName: string): Promise<AlertOutcome<AlertRule>> {
    const current = await this.store.resolve(idOrName);
    if (!current || !(await this.store.delete(current.id))) return notFound(idOrName);
    return { ok: true, value: current };
  }

  async instances(idOrName: string): Promise<AlertOutcome<AlertInstance[]>> {
    const rule = await this.store.resolve(idOrName);
    return rule ? { ok: true, value: await this.store.instances(rule.id) } : notFound(idOrName);
  }

  async preview(idOrName: string): Promise<AlertOutcome<EvaluationPreview>> {
    const rule = await this.store.resolve(idOrName);
    return rule ? { ok: true, value: await this.evaluator.preview(rule) } : notFound(idOrName);
  }

  /** The alert rules that use a saved search: by savedSearchId, or by its name inside their query. */
  async usersOf(search: { id: string; name: string }): Promise<AlertRuleUser[]> {
    const users: AlertRuleUser[] = [];
    for (const rule of await this.store.list()) {
      if (rule.savedSearchId === search.id) users.push({ kind: 'alert rule', name: rule.name, id: rule.id, field: 'savedSearchId' });
      else if (rule.query !== undefined && this.savedSearches?.functionsUsedBy(rule.query).includes(search.name)) users.push({ kind: 'alert rule', name: rule.name, id: rule.id, field: 'query' });
    }
    return users;
  }

  private validate(body: unknown): { ok: true; value: AlertRuleInput } | ({ ok: false } & AlertRefusal) {
    const validated = validateAlertRule(body, { columnsOf: this.columnsOf });
    if (!validated.ok) return { ok: false, status: 400, code: 'InvalidAlertRule', message: `The alert rule is not valid: ${validated.problems.length} problem${validated.problems.length === 1 ? '' : 's'}.`, problems: validated.problems };
    const value = validated.value;
    // A saved search named by its name is stored by id: renaming it does not break the rule.
    if (value.savedSearchId !== undefined) value.savedSearchId = this.savedSearches!.find(value.savedSearchId)!.id;
    return { ok: true, value };
  }

  private readonly columnsOf: ColumnsOf = (source) => {
    let text = source.query;
    let field = 'query';
    if (source.savedSearchId !== undefined) {
      field = 'savedSearchId';
      const saved = this.savedSearches?.find(source.savedSearchId);
      if (!saved) return { ok: false, field, message: `There is no saved search with the id or name "${source.savedSearchId}": see GET /api/saved-searches, or give the query itself in query.` };
      text = saved.query;
    }
    const compiled = compile(text ?? '', { catalog: this.savedSearches?.catalog() ?? recordCatalog, now: this.now() });
    if (compiled.ok) return { ok: true, columns: compiled.columns };
    const first = compiled.diagnostics.find((d) => d.severity === 'error') ?? compiled.diagnostics[0];
    const where = first ? lineColumn(text ?? '', first.range.start) : undefined;
    return { ok: false, field, message: `The ${field === 'query' ? 'query' : 'saved search\'s query'} does not compile${where ? ` (line ${where.line}, column ${where.column})` : ''}: ${first?.code ?? ''} ${first?.message ?? ''}`.trim() };
  };

  private async stored<T>(work: () => Promise<T>): Promise<AlertOutcome<T>> {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      if (error instanceof DuplicateAlertRuleNameError) return { ok: false, status: 409, code: 'AlertRuleNameTaken', message: error.message, problems: [{ field: 'name', message: error.message }] };
      throw error;
    }
  }
}

function notFound(idOrName: string): { ok: false } & AlertRefusal {
  return { ok: false, status: 404, code: 'AlertRuleNotFound', message: `No alert rule has the id or name "${idOrName}": see GET /api/alert-rules.` };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
