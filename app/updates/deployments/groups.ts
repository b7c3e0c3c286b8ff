/**
 * Computer groups: a KQL query whose result has a `Computer` column (or a saved search that is
 * one), evaluated through the query engine into a sorted list of machines. The server evaluates
 * `targets.groups` once when a deployment is created (frozen, as the reference does); the
 * scheduler calls `evaluateGroup` again at every run for `targets.dynamicGroups`.
 */
import type { GroupTarget, ValidationProblem } from '../../../contracts/updates.js';
import type { QueryRunner } from '../../../query/query-runner.js';

/** What runs a group's query: the server's query runner, under the same limits as every query. */
export type GroupQueryRunner = Pick<QueryRunner, 'run'>;

/** The query text of a saved search by name; undefined when there is none. */
export type SavedSearchLookup = (name: string) => Promise<string | undefined>;

export interface GroupOptions {
  now: Date;
  /** Absent until saved searches exist: groups naming one are refused with a clear problem. */
  savedSearches?: SavedSearchLookup;
  /** Where the group sits in the definition, for the problem's `field`. */
  field?: string;
}

export type GroupEvaluation = { ok: true; machines: string[] } | { ok: false; problem: ValidationProblem };

export async function evaluateGroup(group: GroupTarget, runner: GroupQueryRunner, options: GroupOptions): Promise<GroupEvaluation> {
  const field = options.field ?? 'targets.groups';
  const fail = (message: string): GroupEvaluation => ({ ok: false, problem: { field, message } });
  const text = await queryOf(group, options);
  if (typeof text !== 'string') return fail(text.message);
  const outcome = await runner.run({ text, now: options.now });
  if (!outcome.ok) {
    if ('busy' in outcome) return fail(`Group "${group.name}" could not be evaluated: the server is busy with other queries; retry in a moment.`);
    const reasons = outcome.diagnostics.map((d) => d.message).join('; ');
    return fail(`Group "${group.name}": its query failed (${reasons}); fix the query, e.g. try it in the log search first.`);
  }
  const index = outcome.result.columns.findIndex((c) => c.name === 'Computer');
  if (index < 0) {
    const columns = outcome.result.columns.map((c) => c.name).join(', ');
    return fail(`Group "${group.name}": the query returns the columns ${columns || '(none)'} but no Computer column; end it with "| distinct Computer".`);
  }
  if (outcome.result.truncated) {
    return fail(`Group "${group.name}": the query returns more rows than the server keeps (${outcome.result.rows.length}); end it with "| distinct Computer".`);
  }
  return { ok: true, machines: distinctComputers(outcome.result.rows.map((row) => row[index])) };
}

/** Evaluates each group; every failing group is a problem. */
export async function evaluateGroups(groups: readonly GroupTarget[], runner: GroupQueryRunner, options: GroupOptions): Promise<{ ok: true; frozen: Record<string, string[]> } | { ok: false; problems: ValidationProblem[] }> {
  const frozen: Record<string, string[]> = {};
  const problems: ValidationProblem[] = [];
  for (const [i, group] of groups.entries()) {
    const evaluated = await evaluateGroup(group, runner, { ...options, field: `${options.field ?? 'targets.groups'}[${i}]` });
    if (evaluated.ok) frozen[group.name] = evaluated.machines;
    else problems.push(evaluated.problem);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, frozen };
}

async function queryOf(group: GroupTarget, options: GroupOptions): Promise<string | { message: string }> {
  if (group.query !== undefined) return group.query;
  if (group.savedSearch === undefined) return { message: `Group "${group.name}" has neither a query nor a saved search: give a query returning a Computer column.` };
  if (!options.savedSearches) {
    return { message: `Group "${group.name}" names the saved search "${group.savedSearch}", but saved searches are not available yet: give the group's query instead ("query": "… | distinct Computer").` };
  }
  const text = await options.savedSearches(group.savedSearch);
  return text ?? { message: `Group "${group.name}": there is no saved search "${group.savedSearch}"; check its name, or give the query instead.` };
}

function distinctComputers(values: readonly unknown[]): string[] {
  const machines = new Set<string>();
  for (const value of values) {
    if (typeof value === 'string' && value.trim() !== '') machines.add(value.trim());
  }
  return [...machines].sort();
}
