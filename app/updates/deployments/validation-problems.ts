/** Collecting validation problems: every check adds what it found and returns undefined. */
import type { ValidationProblem } from '../../../contracts/updates.js';

/** A parsed JSON value of unknown shape. */
export type Json = unknown;

export class Problems {
  readonly list: ValidationProblem[] = [];

  /** Returns undefined so a check can `return problems.add(…)`. */
  add(field: string, message: string): undefined {
    this.list.push({ field, message });
    return undefined;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
