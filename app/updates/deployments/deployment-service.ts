/**
 * What the HTTP routes (and anything else in the server) do with deployment definitions:
 * validate, evaluate computer groups, store, and answer in outcomes the routes map to statuses.
 *
 * Coordination with the scheduler (app/updates/scheduler/), which owns runs:
 * - `setDeleteGuard(guard)`: before a deployment is deleted the guard is asked; a string it
 *   returns is the reason for refusing (e.g. "2 runs are in progress: cancel them first"),
 *   answered as 409 DeploymentBusy. Without a guard deletes are not refused.
 * - `onChange(listener)`: told after every create, replace and delete, so the scheduler can
 *   recompute its next occurrences instead of polling the store.
 *
 * Groups (`targets.groups`) are evaluated when a deployment is created and frozen into
 * `frozenGroups`. A replace re-evaluates only the groups whose definition changed (new, or a
 * different query / saved search); unchanged groups keep the machines frozen at creation, so
 * editing the window does not silently change who gets updates. `dynamicGroups` are not
 * evaluated here: the scheduler calls `evaluateGroup` at every run.
 */
import type { Deployment, DeploymentInput, GroupTarget, ValidationProblem } from '../../../contracts/updates.js';
import { nextOccurrences } from '../schedule/recurrence.js';
import { DuplicateDeploymentNameError, type DeploymentStore } from './deployment-store.js';
import { evaluateGroups, type GroupQueryRunner, type SavedSearchLookup } from './groups.js';
import { validateDeployment } from './validate.js';

export type DeleteGuard = (deployment: Deployment) => Promise<string | undefined> | string | undefined;
export type DeploymentChange = { kind: 'created' | 'replaced'; deployment: Deployment } | { kind: 'deleted'; deployment: Deployment };

export type Refusal =
  | { status: 400; code: 'InvalidDeployment'; message: string; problems: ValidationProblem[] }
  | { status: 404; code: 'DeploymentNotFound'; message: string }
  | { status: 409; code: 'DeploymentNameTaken'; message: string; problems: ValidationProblem[] }
  | { status: 409; code: 'DeploymentBusy'; message: string };

export type Outcome<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export const MAX_OCCURRENCES = 1000;

export interface DeploymentServiceOptions {
  savedSearches?: SavedSearchLookup;
}

export class DeploymentService {
  private deleteGuard: DeleteGuard | undefined;
  private readonly listeners: ((change: DeploymentChange) => void)[] = [];

  constructor(
    readonly store: DeploymentStore,
    private readonly queries: GroupQueryRunner,
    private readonly now: () => Date,
    private readonly options: DeploymentServiceOptions = {},
  ) {}

  setDeleteGuard(guard: DeleteGuard | undefined): void {
    this.deleteGuard = guard;
  }

  onChange(listener: (change: DeploymentChange) => void): void {
    this.listeners.push(listener);
  }

  list(): Promise<Deployment[]> {
    return this.store.list();
  }

  async get(id: string): Promise<Outcome<Deployment>> {
    const deployment = await this.store.get(id);
    return deployment ? { ok: true, value: deployment } : notFound(id);
  }

  async create(body: unknown): Promise<Outcome<Deployment>> {
    const now = this.now();
    const existingNames = (await this.store.list()).map((d) => d.name);
    const validated = validateDeployment(body, { now, existingNames });
    if (!validated.ok) return invalid(validated.problems, validated.duplicateName);
    const groups = await evaluateGroups(validated.value.targets.groups, this.queries, { now, ...this.groupOptions() });
    if (!groups.ok) return invalid(groups.problems);
    return this.stored(() => this.store.create(validated.value, now, groups.frozen), 'created');
  }

  async replace(id: string, body: unknown): Promise<Outcome<Deployment>> {
    const now = this.now();
    const all = await this.store.list();
    const current = all.find((d) => d.id === id);
    if (!current) return notFound(id);
    const existingNames = all.filter((d) => d.id !== id).map((d) => d.name);
    const validated = validateDeployment(body, { now, existingNames, unchangedStartTime: current.schedule.startTime });
    if (!validated.ok) return invalid(validated.problems, validated.duplicateName);
    const frozen = await this.refreeze(current, validated.value, now);
    if (!frozen.ok) return frozen;
    const replaced = await this.stored(() => this.store.replace(id, validated.value, now, frozen.value), 'replaced');
    return replaced.ok && replaced.value === undefined ? notFound(id) : (replaced as Outcome<Deployment>);
  }

  async delete(id: string): Promise<Outcome<Deployment>> {
    const deployment = await this.store.get(id);
    if (!deployment) return notFound(id);
    const busy = await this.deleteGuard?.(deployment);
    if (busy) {
      // The guard may already name the deployment; otherwise say which one.
      const message = busy.startsWith('Deployment "') ? busy : `Deployment "${deployment.name}" cannot be deleted now: ${busy}`;
      return { ok: false, status: 409, code: 'DeploymentBusy', message };
    }
    if (!(await this.store.delete(id))) return notFound(id);
    this.emit({ kind: 'deleted', deployment });
    return { ok: true, value: deployment };
  }

  /** The next `count` occurrences after now, as UTC ISO instants (whether or not it is enabled). */
  async occurrences(id: string, count: number): Promise<Outcome<string[]>> {
    const deployment = await this.store.get(id);
    if (!deployment) return notFound(id);
    const next = nextOccurrences(deployment.schedule, this.now(), Math.min(Math.max(0, Math.floor(count)), MAX_OCCURRENCES));
    return { ok: true, value: next.map((d) => d.toISOString()) };
  }

  private async refreeze(current: Deployment, input: DeploymentInput, now: Date): Promise<Outcome<Record<string, string[]>>> {
    const unchanged = (group: GroupTarget): boolean => {
      const before = current.targets.groups.find((g) => g.name === group.name);
      return before !== undefined && before.query === group.query && before.savedSearch === group.savedSearch && current.frozenGroups[group.name] !== undefined;
    };
    const frozen: Record<string, string[]> = {};
    const changed: GroupTarget[] = [];
    for (const group of input.targets.groups) {
      if (unchanged(group)) frozen[group.name] = current.frozenGroups[group.name]!;
      else changed.push(group);
    }
    const evaluated = await evaluateGroups(changed, this.queries, { now, ...this.groupOptions() });
    if (!evaluated.ok) return invalid(evaluated.problems);
    return { ok: true, value: { ...frozen, ...evaluated.frozen } };
  }

  private groupOptions(): { savedSearches?: SavedSearchLookup } {
    return this.options.savedSearches ? { savedSearches: this.options.savedSearches } : {};
  }

  /** Runs a store write, turning a name taken meanwhile into 409 and telling the listeners. */
  private async stored<T extends Deployment | undefined>(write: () => Promise<T>, kind: 'created' | 'replaced'): Promise<Outcome<T>> {
    try {
      const deployment = await write();
      if (deployment) this.emit({ kind, deployment });
      return { ok: true, value: deployment };
    } catch (error) {
      if (error instanceof DuplicateDeploymentNameError) return nameTaken([{ field: 'name', message: error.message }]);
      throw error;
    }
  }

  private emit(change: DeploymentChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // The change is stored; a listener's failure must not turn it into a failed request.
        process.emitWarning(`a deployment change listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function notFound(id: string): { ok: false } & Refusal {
  return { ok: false, status: 404, code: 'DeploymentNotFound', message: `There is no deployment with id "${id}": list them with GET /api/deployments (or upkeep deployment list).` };
}

function invalid(problems: ValidationProblem[], duplicateName?: string): { ok: false } & Refusal {
  // Only a taken name is a conflict; with other problems too, the definition is simply invalid.
  if (duplicateName !== undefined && problems.length === 1) return nameTaken(problems);
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  return { ok: false, status: 400, code: 'InvalidDeployment', message: `The deployment has ${count}: ${problems.map((p) => `${p.field || '(body)'}: ${p.message}`).join(' ')}`, problems };
}

function nameTaken(problems: ValidationProblem[]): { ok: false } & Refusal {
  return { ok: false, status: 409, code: 'DeploymentNameTaken', message: problems[0]!.message, problems };
}
