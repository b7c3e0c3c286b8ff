/**
 * The pages. Adding a page: one entry here (its component is loaded when first visited, so
 * pages stay out of the main bundle); the navigation lists every entry in order.
 */
import type { Component } from 'svelte';

export interface Route {
  path: string;
  title: string;
  load: () => Promise<{ default: Component }>;
}

export const routes: readonly Route[] = [
  { path: '/search', title: 'Log search', load: () => import('../search/LogSearch.svelte') },
  { path: '/machines', title: 'Machines', load: () => import('../pages/updates/Machines.svelte') },
  { path: '/missing-updates', title: 'Missing updates', load: () => import('../pages/updates/MissingUpdates.svelte') },
  { path: '/deployments', title: 'Deployments', load: () => import('../pages/deployments/Deployments.svelte') },
  { path: '/dashboards', title: 'Dashboards', load: () => import('../pages/dashboards/Dashboards.svelte') },
  { path: '/saved', title: 'Saved searches', load: () => import('../pages/saved/SavedSearches.svelte') },
  { path: '/alerts', title: 'Alert rules', load: () => import('../pages/alerts/Alerts.svelte') },
];

export const defaultPath = '/search';

export function routeFor(pathname: string): Route | undefined {
  const path = pathname === '/' ? defaultPath : pathname.replace(/\/+$/, '');
  return routes.find((r) => path === r.path || path.startsWith(`${r.path}/`));
}
