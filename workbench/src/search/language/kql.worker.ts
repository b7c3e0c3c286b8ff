/**
 * The language worker: completion, hover and diagnostics for the editor, computed with the
 * grammar and the real compiler against a catalog built from the live schema. Each blank-line
 * separated block is its own query, so each is analysed on its own and ranges are shifted back.
 */
import { blockAt, complete, hoverAt, splitBlocks } from '../../../../language/completion/index.js';
import type { CompletionSource } from '../../../../language/completion/source.js';
import type { Diagnostic } from '../../../../language/syntax/diagnostics.js';
import { compile } from '../../../../language/compile.js';
import { catalogFromSchema, createCompletionSource } from '../../../../language/completion/completion-source.js';
import type { Catalog } from '../../../../language/schema/tables.js';
import type { CompleteAnswer, DiagnoseAnswer, Envelope, Reply, WorkerRequest } from './protocol.js';

let catalog: Catalog = catalogFromSchema({ tables: [] });
let source: CompletionSource = createCompletionSource(catalog);

function handle(request: WorkerRequest): unknown {
  switch (request.kind) {
    case 'schema':
      catalog = catalogFromSchema(request.schema);
      source = createCompletionSource(catalog);
      return null;
    case 'complete':
      return completeAt(request.text, request.offset);
    case 'hover': {
      const block = blockAt(request.text, request.offset);
      if (!block || request.offset < block.start || request.offset > block.end) return null;
      const info = hoverAt(block.text, request.offset - block.start, source);
      return info ? { ...info, range: { start: info.range.start + block.start, end: info.range.end + block.start } } : null;
    }
    case 'diagnose':
      return diagnose(request.text);
  }
}

function completeAt(text: string, offset: number): CompleteAnswer {
  const block = blockAt(text, offset);
  // On a blank line the cursor starts a new block: complete against empty text.
  const inBlock = block && offset >= block.start && offset <= block.end ? block : { start: offset, end: offset, text: '' };
  const { suggestions, range } = complete(inBlock.text, offset - inBlock.start, source);
  return { suggestions, range: { start: range.start + inBlock.start, end: range.end + inBlock.start } };
}

function diagnose(text: string): DiagnoseAnswer {
  const diagnostics: Diagnostic[] = [];
  for (const block of splitBlocks(text)) {
    const compiled = compile(block.text, { catalog });
    for (const d of compiled.diagnostics) {
      diagnostics.push({ ...d, range: { start: d.range.start + block.start, end: d.range.end + block.start } });
    }
  }
  return { diagnostics };
}

self.onmessage = (event: MessageEvent<Envelope>) => {
  const { id, request } = event.data;
  let reply: Reply;
  try {
    reply = { id, ok: true, value: handle(request) };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(reply);
};
