/**
 * Whether a query filters on TimeGenerated itself, in which case the page's time-range picker
 * is overridden (the reference shows "Set in query"). A `where` whose predicate names
 * TimeGenerated counts; a mention in `project` or `summarize` does not.
 */
import { tokensOf } from './context.js';

export function filtersOnTimeGenerated(text: string): boolean {
  const { tokens } = tokensOf(text);
  let inWhere = false;
  let previous: string | undefined;
  for (const tok of tokens) {
    if (tok.type === 'Pipe') inWhere = false;
    else if (previous === 'Pipe' && (tok.type === 'Where' || tok.type === 'Filter')) inWhere = true;
    else if (inWhere && tok.image === 'TimeGenerated') return true;
    previous = tok.type;
  }
  return false;
}
