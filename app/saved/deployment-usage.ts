/**
 * The deployments as users of saved searches: a computer group naming one
 * (`targets.groups[].savedSearch`, `targets.dynamicGroups[].savedSearch`), or a group query
 * that uses one by name (`Update | where Computer in (WebServers)`).
 */
import type { Deployment, GroupTarget } from '../../contracts/updates.js';
import type { SavedSearch, SavedSearchUser } from '../../contracts/saved.js';
import type { UsageSource } from './saved-search-service.js';

export function deploymentUsageSource(list: () => Promise<Deployment[]>, functionsUsedBy: (query: string) => string[]): UsageSource {
  return async (search) => {
    const users: SavedSearchUser[] = [];
    for (const deployment of await list()) {
      const fields: [string, GroupTarget[]][] = [
        ['targets.groups', deployment.targets.groups],
        ['targets.dynamicGroups', deployment.targets.dynamicGroups],
      ];
      for (const [field, groups] of fields) {
        groups.forEach((group, i) => {
          if (uses(group, search, functionsUsedBy)) users.push({ kind: 'deployment', name: deployment.name, id: deployment.id, field: `${field}[${i}]` });
        });
      }
    }
    return users;
  };
}

function uses(group: GroupTarget, search: SavedSearch, functionsUsedBy: (query: string) => string[]): boolean {
  if (group.savedSearch !== undefined) {
    if (group.savedSearch.trim().toLowerCase() === search.name.toLowerCase()) return true;
    return false;
  }
  return group.query !== undefined && functionsUsedBy(group.query).includes(search.name);
}
