/** aria attributes tying a control to its hint and to the server's messages about it. */
import { errorId, type FieldKey, type ProblemsByField } from './problems.js';

export function describedBy(key: FieldKey, problems: ProblemsByField, ...hints: string[]): { 'aria-invalid': 'true' | undefined; 'aria-describedby': string | undefined } {
  const ids = [...hints, ...(problems[key]?.length ? [errorId(key)] : [])];
  return { 'aria-invalid': problems[key]?.length ? 'true' : undefined, 'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined };
}
