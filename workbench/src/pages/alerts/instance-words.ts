/** An instance named by its dimension values: "Computer = web-01", or "(whole rule)" for a rule without dimensions. */
import type { DimensionValue } from '../../../../contracts/alerts.js';

export function dimensionWords(dimensions: Record<string, DimensionValue> | string | null | undefined): string {
  const record = typeof dimensions === 'string' ? parse(dimensions) : dimensions;
  const entries = Object.entries(record ?? {});
  return entries.length === 0 ? '(whole rule)' : entries.map(([k, v]) => `${k} = ${v === null ? 'null' : String(v)}`).join(', ');
}

function parse(text: string): Record<string, DimensionValue> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, DimensionValue>) : undefined;
  } catch {
    return undefined;
  }
}
