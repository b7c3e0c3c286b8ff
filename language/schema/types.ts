/** Kusto scalar types as the engine reasons about them. */
import type { TypeName } from '../syntax/ast.js';

export type ScalarType = TypeName;

export interface Column {
  name: string;
  type: ScalarType;
}

export interface TableSchema {
  name: string;
  columns: Column[];
  description?: string;
}

export const numericTypes: readonly ScalarType[] = ['int', 'long', 'real', 'decimal'];

export function isNumeric(t: ScalarType): boolean {
  return numericTypes.includes(t);
}

/** The wider of two numeric types, as Kusto promotes them in arithmetic. */
export function widerNumeric(a: ScalarType, b: ScalarType): ScalarType {
  const order: ScalarType[] = ['int', 'long', 'decimal', 'real'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))] ?? 'real';
}
