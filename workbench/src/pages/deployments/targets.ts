/** A deployment's targets in a few words for the list: machines now known, plus dynamic groups. */
import type { Deployment } from '../../../../contracts/updates.js';

export function targetMachines(deployment: Pick<Deployment, 'targets' | 'frozenGroups'>): string[] {
  const all = new Map<string, string>();
  for (const m of [...deployment.targets.machines, ...Object.values(deployment.frozenGroups).flat()]) all.set(m.toLowerCase(), m);
  return [...all.values()];
}

export function targetsWords(deployment: Pick<Deployment, 'targets' | 'frozenGroups'>): string {
  const machines = targetMachines(deployment).length;
  const dynamic = deployment.targets.dynamicGroups.length;
  const parts = [`${machines} machine${machines === 1 ? '' : 's'}`];
  if (dynamic > 0) parts.push(`${dynamic} dynamic group${dynamic === 1 ? '' : 's'}`);
  return parts.join(' + ');
}
