/**
 * Syntax error messages in human terms ("Expected ')' to close '(' at 3:10", "Expected an
 * operator after '|' such as where, project, summarize") instead of Chevrotain's token dumps.
 */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { lineColumn } from './diagnostics.js';

const closers: Record<string, string> = { RParen: '(', RBracket: '[', RCurly: '{' };
const openerTypes: Record<string, string> = { LParen: 'RParen', LBracket: 'RBracket', LCurly: 'RCurly' };

/** What a rule expects when none of its alternatives fits, phrased for a person. */
const ruleExpectations: Record<string, string> = {
  pipeOperator: 'an operator after \'|\' such as where, project, summarize, extend, join, take, sort',
  primary: 'an expression (a name, a literal or \'(\')',
  name: 'a name',
  wildcardName: 'a column name',
  parsePart: 'a parse pattern ("text", Column, Column:type or *)',
  jsonValue: 'a JSON value (string, number, true, false, null, [ … ] or { … })',
  sortOrder: "'asc' or 'desc'",
  joinRight: "a table name or '(' query ')'",
  unionTable: "a table name or '(' query ')'",
  letStatement: 'a value or a function definition',
};

/**
 * Thrown from a message builder once `stopWhen` holds: error recovery costs tens of microseconds
 * an error, so text of 100,000 stray commas would hold the parser (and a server's event loop)
 * for seconds. `parse` stops there and reports the errors found so far.
 */
export class TooManySyntaxErrors extends Error {
  constructor() {
    super('too many syntax errors');
    this.name = 'TooManySyntaxErrors';
  }
}

/** The parser's message provider; `parse` points `tokens` and `text` at the current input. */
export class ErrorMessages implements IParserErrorMessageProvider {
  tokens: IToken[] = [];
  text = '';
  /** Checked before each error is described (the parser records it after). */
  stopWhen: () => boolean = () => false;

  private checkLimit(): void {
    if (this.stopWhen()) throw new TooManySyntaxErrors();
  }

  buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    this.checkLimit();
    const { expected, actual, previous } = options;
    const opener = closers[expected.name];
    if (opener) {
      const open = this.unclosedOpener(expected.name, actual);
      if (open) {
        const { line, column } = lineColumn(this.text, open.startOffset);
        return `Expected '${label(expected)}' to close '${opener}' at ${line}:${column}${found(actual)}.`;
      }
    }
    return `Expected ${describe(expected)}${afterToken(previous)}${found(actual)}.`;
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    this.checkLimit();
    const image = options.firstRedundant.image;
    if (closers[options.firstRedundant.tokenType.name]) {
      return `Unexpected '${image}': it closes nothing; remove it or add the matching '${closers[options.firstRedundant.tokenType.name]}'.`;
    }
    return `Unexpected '${image}': a query is 'let' statements separated by ';', then one expression whose operators start with '|'.`;
  }

  buildNoViableAltMessage(options: {
    expectedPathsPerAlt: TokenType[][][];
    actual: IToken[];
    previous: IToken;
    ruleName: string;
  }): string {
    this.checkLimit();
    const expectation = ruleExpectations[options.ruleName];
    const actual = options.actual[0];
    if (options.ruleName === 'pipeOperator') return `Expected ${expectation}${found(actual)}.`;
    const what = expectation ?? oneOf(options.expectedPathsPerAlt.flat());
    return `Expected ${what}${afterToken(options.previous)}${found(actual)}.`;
  }

  buildEarlyExitMessage(options: {
    expectedIterationPaths: TokenType[][];
    actual: IToken[];
    previous: IToken;
    ruleName: string;
  }): string {
    this.checkLimit();
    const what = ruleExpectations[options.ruleName] ?? oneOf(options.expectedIterationPaths);
    return `Expected ${what}${afterToken(options.previous)}${found(options.actual[0])}.`;
  }

  /** The innermost `(` / `[` / `{` still open before `at` whose closer is `closer`. */
  private unclosedOpener(closer: string, at: IToken): IToken | undefined {
    const stack: IToken[] = [];
    const limit = Number.isNaN(at.startOffset) ? Infinity : at.startOffset;
    for (const t of this.tokens) {
      if (t.startOffset >= limit) break;
      const name = t.tokenType.name;
      if (openerTypes[name]) stack.push(t);
      else if (Object.values(openerTypes).includes(name)) stack.pop();
    }
    for (let i = stack.length - 1; i >= 0; i--) {
      if (openerTypes[stack[i]!.tokenType.name] === closer) return stack[i];
    }
    return undefined;
  }
}

function label(type: TokenType): string {
  return (type.LABEL ?? type.name).replace(/^'(.*)'$/, '$1');
}

function describe(type: TokenType): string {
  return type.LABEL ?? type.name;
}

function oneOf(paths: TokenType[][]): string {
  const firsts = [...new Set(paths.map((p) => p[0]).filter((t): t is TokenType => !!t).map(describe))];
  if (firsts.length === 0) return 'more input';
  if (firsts.length === 1) return firsts[0]!;
  return `one of ${firsts.slice(0, 8).join(', ')}`;
}

function afterToken(previous: IToken | undefined): string {
  if (!previous || !previous.image || Number.isNaN(previous.startOffset)) return '';
  return ` after '${previous.image.length > 30 ? previous.image.slice(0, 30) + '…' : previous.image}'`;
}

function found(actual: IToken | undefined): string {
  if (!actual || actual.tokenType === EOF) return ', but the query ended';
  return `, but found '${actual.image.length > 30 ? actual.image.slice(0, 30) + '…' : actual.image}'`;
}

export const errorMessages = new ErrorMessages();
