/**
 * Monaco, trimmed to what a query editor needs (no bundled languages), with our language:
 * highlighting from the grammar's own lexer, completion / hover / diagnostics from the language
 * worker. Loaded by a dynamic import, so Monaco never weighs on the main bundle.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/editor/browser/coreCommands.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/editor/contrib/find/browser/findController.js';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode.js';
import 'monaco-editor/editor/common/standaloneStrings.js';
import 'monaco-css/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-css/base/browser/ui/codicons/codicon/codicon-modifiers.css';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { tokenize } from '../../../../language/syntax/parse.js';
import type { TokenKind } from '../../../../language/syntax/tokens.js';
import type { Suggestion, SuggestionKind } from '../../../../language/completion/complete.js';
import type { Diagnostic } from '../../../../language/syntax/diagnostics.js';
import { LanguageClient } from './client.js';
import type { SchemaAnswer } from '../schema.js';

const LANGUAGE = 'kql';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = { getWorker: () => new EditorWorker() };

export interface QueryEditor {
  getValue(): string;
  setValue(text: string): void;
  /** Replaces the selection (or inserts at the cursor) and focuses the editor. */
  insert(text: string): void;
  cursorOffset(): number;
  focus(): void;
  /** A newer schema (e.g. after saving a search): completion and diagnostics use it from now on. */
  setSchema(schema: SchemaAnswer): void;
  /** The current diagnostics, also shown as markers. */
  diagnostics(): Diagnostic[];
  dispose(): void;
}

export interface EditorOptions {
  value: string;
  schema: Promise<SchemaAnswer>;
  ariaLabel: string;
  onChange(text: string): void;
  /** Shift+Enter (and Ctrl+Enter): run the block at this offset. */
  onRun(offset: number): void;
  onDiagnostics(diagnostics: Diagnostic[]): void;
}

let registered: LanguageClient | undefined;

function registerLanguage(schema: Promise<SchemaAnswer>): LanguageClient {
  const client = registered ?? new LanguageClient();
  void schema.then((s) => client.request({ kind: 'schema', schema: s }));
  if (registered) return client;
  registered = client;
  monaco.languages.register({ id: LANGUAGE, aliases: ['KQL', 'Kusto'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE, {
    comments: { lineComment: '//' },
    brackets: [['(', ')'], ['[', ']'], ['{', '}']],
    autoClosingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }, { open: '"', close: '"', notIn: ['string'] }, { open: "'", close: "'", notIn: ['string'] }],
    wordPattern: /-?\d*\.\d\w*|[A-Za-z_][\w-]*|\$left|\$right/,
  });
  monaco.languages.setTokensProvider(LANGUAGE, lineTokens);
  monaco.languages.registerCompletionItemProvider(LANGUAGE, {
    triggerCharacters: [' ', '|', '(', ',', '='],
    async provideCompletionItems(model, position) {
      const offset = model.getOffsetAt(position);
      const answer = await client.request({ kind: 'complete', text: model.getValue(), offset });
      const range = monaco.Range.fromPositions(model.getPositionAt(answer.range.start), model.getPositionAt(answer.range.end));
      return { suggestions: answer.suggestions.map((s) => completionItem(s, range)) };
    },
  });
  monaco.languages.registerHoverProvider(LANGUAGE, {
    async provideHover(model, position) {
      const info = await client.request({ kind: 'hover', text: model.getValue(), offset: model.getOffsetAt(position) });
      if (!info) return null;
      return { range: monaco.Range.fromPositions(model.getPositionAt(info.range.start), model.getPositionAt(info.range.end)), contents: [{ value: info.contents }] };
    },
  });
  monaco.editor.defineTheme('upkeep', {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'keyword', foreground: '0b4fa0' },
      { token: 'operator-keyword', foreground: '0b4fa0', fontStyle: 'bold' },
      { token: 'string', foreground: 'a31515' },
      { token: 'number', foreground: '116644' },
      { token: 'timespan', foreground: '116644' },
      { token: 'datetime', foreground: '116644' },
      { token: 'comment', foreground: '5c6b62', fontStyle: 'italic' },
      { token: 'identifier', foreground: '1b1f24' },
      { token: 'punctuation', foreground: '4a5561' },
    ],
    colors: {},
  });
  return client;
}

/**
 * Line-at-a-time highlighting with the grammar's lexer. Tokens never span lines except
 * multi-line verbatim strings, which are rare in queries; a line inside one is shown as its parts.
 */
const lineTokens: monaco.languages.TokensProvider = {
  getInitialState: () => ({ clone: () => lineTokens.getInitialState(), equals: () => true }),
  tokenize(line, state) {
    const tokens = tokenize(line).map((t) => ({ startIndex: t.start, scopes: scopeOf(t.kind) }));
    return { tokens, endState: state };
  },
};

function scopeOf(kind: TokenKind): string {
  return kind;
}

const itemKinds: Record<SuggestionKind, monaco.languages.CompletionItemKind> = {
  literal: monaco.languages.CompletionItemKind.Value,
  aggregate: monaco.languages.CompletionItemKind.Method,
  column: monaco.languages.CompletionItemKind.Field,
  table: monaco.languages.CompletionItemKind.Class,
  function: monaco.languages.CompletionItemKind.Function,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  operator: monaco.languages.CompletionItemKind.Operator,
};

function completionItem(s: Suggestion, range: monaco.IRange): monaco.languages.CompletionItem {
  return {
    label: { label: s.label, description: s.kind === 'column' ? s.detail : undefined },
    kind: itemKinds[s.kind],
    detail: s.detail,
    ...(s.documentation ? { documentation: s.documentation } : {}),
    insertText: s.insertText,
    ...(s.snippet ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
    sortText: s.sortText,
    filterText: s.label,
    range,
    ...(s.retrigger ? { command: { id: 'editor.action.triggerSuggest', title: 'Suggest' } } : {}),
  };
}

export function createQueryEditor(element: HTMLElement, options: EditorOptions): QueryEditor {
  const client = registerLanguage(options.schema);
  const model = monaco.editor.createModel(options.value, LANGUAGE);
  const editor = monaco.editor.create(element, {
    model,
    theme: 'upkeep',
    ariaLabel: options.ariaLabel,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    lineNumbers: 'on',
    scrollBeyondLastLine: false,
    wordWrap: 'on',
    tabFocusMode: false,
    fixedOverflowWidgets: true,
    suggest: { showStatusBar: true, preview: false },
    quickSuggestions: { other: true, comments: false, strings: false },
    placeholder: 'Type a query, e.g. Heartbeat | take 10 — Shift+Enter runs the query under the cursor',
  });
  let current: Diagnostic[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  const diagnose = async () => {
    const mine = ++generation;
    const text = model.getValue();
    const answer = await client.request({ kind: 'diagnose', text });
    if (mine !== generation || model.isDisposed()) return;
    current = answer.diagnostics;
    monaco.editor.setModelMarkers(model, LANGUAGE, current.map((d) => marker(model, d)));
    options.onDiagnostics(current);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void diagnose(), 300);
  };
  model.onDidChangeContent(() => {
    options.onChange(model.getValue());
    schedule();
  });
  void options.schema.then(() => diagnose());
  const run = () => options.onRun(model.getOffsetAt(editor.getPosition() ?? new monaco.Position(1, 1)));
  editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, run);
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
  return {
    getValue: () => model.getValue(),
    setValue(text) {
      if (text !== model.getValue()) model.setValue(text);
    },
    insert(text) {
      const selection = editor.getSelection() ?? new monaco.Selection(1, 1, 1, 1);
      editor.executeEdits('insert', [{ range: selection, text, forceMoveMarkers: true }]);
      editor.focus();
    },
    cursorOffset: () => model.getOffsetAt(editor.getPosition() ?? new monaco.Position(1, 1)),
    focus: () => editor.focus(),
    setSchema(schema) {
      void client.request({ kind: 'schema', schema }).then(() => diagnose());
    },
    diagnostics: () => current,
    dispose() {
      clearTimeout(timer);
      editor.dispose();
      model.dispose();
    },
  };
}

function marker(model: monaco.editor.ITextModel, d: Diagnostic): monaco.editor.IMarkerData {
  const start = model.getPositionAt(d.range.start);
  // An empty range (an error at the end of the text) still needs one visible character.
  const end = model.getPositionAt(Math.max(d.range.end, d.range.start + 1));
  const severity = d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
  return { severity, code: d.code, message: d.message, startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column === start.column && end.lineNumber === start.lineNumber ? end.column + 1 : end.column };
}
