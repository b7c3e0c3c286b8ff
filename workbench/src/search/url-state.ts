/** The search's shareable state in the URL: `/search?q=<query>&t=<range>`; a link reproduces the search. */
import { rangeFromParam, rangeToParam, type TimeRange } from './time-range.js';

export interface SearchState {
  query: string;
  range: TimeRange;
}

export function readSearchState(search: string): SearchState & { hasQuery: boolean } {
  const params = new URLSearchParams(search);
  const query = params.get('q');
  return { query: query ?? '', range: rangeFromParam(params.get('t')), hasQuery: query !== null && query.trim() !== '' };
}

export function searchUrl(state: SearchState, pathname = '/search'): string {
  const params = new URLSearchParams();
  if (state.query.trim() !== '') params.set('q', state.query);
  params.set('t', rangeToParam(state.range));
  return `${pathname}?${params.toString()}`;
}
