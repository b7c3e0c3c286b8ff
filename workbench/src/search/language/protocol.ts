/** Messages between the page and the language worker (completion, hover, diagnostics off the UI thread). */
import type { Suggestion } from '../../../../language/completion/complete.js';
import type { HoverInfo } from '../../../../language/completion/hover.js';
import type { Diagnostic, Range } from '../../../../language/syntax/diagnostics.js';
import type { SchemaAnswer } from '../schema.js';

export type WorkerRequest =
  | { kind: 'schema'; schema: SchemaAnswer }
  | { kind: 'complete'; text: string; offset: number }
  | { kind: 'hover'; text: string; offset: number }
  | { kind: 'diagnose'; text: string };

export interface CompleteAnswer {
  suggestions: Suggestion[];
  /** Offsets into the whole text. */
  range: Range;
}

/** Diagnostics of every block, with ranges as offsets into the whole text. */
export interface DiagnoseAnswer {
  diagnostics: Diagnostic[];
}

export interface WorkerAnswers {
  schema: null;
  complete: CompleteAnswer;
  hover: HoverInfo | null;
  diagnose: DiagnoseAnswer;
}

export type Envelope = { id: number; request: WorkerRequest };
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
