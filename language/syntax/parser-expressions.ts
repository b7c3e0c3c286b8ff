/**
 * Expression rules of the grammar: scalars, names, literals and the pipeline that strings
 * operators after a source. The grammar is one class built in layers, each file extending the
 * previous: expressions → parser-sources.ts → parser-operators.ts → parser.ts (statements).
 * Rules are class properties so that a misspelt subrule is a compile error.
 *
 * Precedence, loosest first: `|` pipes < or < and < comparison / string / in / between
 * < additive < multiplicative < unary < postfix (`.member`, `[index]`) < primary; the binary
 * levels are applied by the AST builder (see `infixExpr`).
 */
import { CstParser, tokenMatcher, type CstNode, type IOrAlt, type ParserMethod, type TokenType } from 'chevrotain';
import { errorMessages } from './error-messages.js';
import * as T from './tokens.js';

export type Rule = ParserMethod<[], CstNode>;
/**
 * Alternatives are built once as fields, not inside rule bodies: a rule body runs on every
 * parse, and rebuilding closure arrays there costs more than the parsing itself.
 */
export type Alternatives = IOrAlt<unknown>[];

/** Names of the parameters each operator accepts before its arguments (`kind=inner`, …). */
export const operatorParams = {
  union: ['kind', 'withsource', 'isfuzzy', 'hint'],
  join: ['kind', 'hint'],
  lookup: ['kind', 'hint'],
  parse: ['kind', 'flags'],
  mvExpand: ['with_itemindex', 'bagexpansion', 'kind'],
  makeSeries: ['kind', 'hint'],
  /** summarize, distinct: only `hint.*` (ignored). */
  hintOnly: ['hint'],
} as const;

export abstract class ExpressionRules extends CstParser {
  // Defined by the subclasses (parser-sources.ts, parser-operators.ts).
  protected abstract pipeOperator: Rule;
  abstract datatable: Rule;
  abstract printSource: Rule;
  abstract unionSource: Rule;
  abstract rangeSource: Rule;

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: errorMessages,
      // The grammar checks (ambiguities, left recursion) run whenever the grammar runs from its
      // TypeScript source, as in every test; compiled JavaScript skips them: a third of the
      // parser's construction, on every start of the command.
      skipValidations: import.meta.url.endsWith('.js'),
    });
  }

  // --- lookahead helpers used in gates -----------------------------------------------------

  protected isName(offset: number): boolean {
    return tokenMatcher(this.LA(offset), T.Identifier);
  }

  protected isType(offset: number, type: TokenType): boolean {
    return tokenMatcher(this.LA(offset), type);
  }

  /** `name =` or `['name'] =` or `(a, b) =` ahead: an assignment rather than a bare expression. */
  protected isNamedAssignment(): boolean {
    if (this.isName(1)) return this.isType(2, T.Equals);
    if (this.isType(1, T.LBracket)) return this.isType(4, T.Equals) && this.isType(3, T.RBracket);
    if (!this.isType(1, T.LParen)) return false;
    let i = 2;
    for (;;) {
      if (!this.isName(i)) return false;
      if (this.isType(i + 1, T.RParen)) return this.isType(i + 2, T.Equals);
      if (!this.isType(i + 1, T.Comma)) return false;
      i += 2;
    }
  }

  /** `kind=…`, `hint.strategy=…` … among the names an operator accepts. */
  protected isParam(names: readonly string[]): boolean {
    const token = this.LA(1);
    if (!this.isName(1)) return false;
    if (token.image === 'hint' && names.includes('hint')) return this.isType(2, T.Dot);
    return names.includes(token.image) && this.isType(2, T.Equals);
  }

  /** The next token touches the previous one: `Resource*` is one wildcard name. */
  protected isAdjacent(): boolean {
    const next = this.LA(1);
    const previous = this.LA(0);
    return next.startOffset === previous.endOffset! + 1 && (this.isName(1) || this.isType(1, T.Star));
  }

  // --- expressions ----------------------------------------------------------------------------

  /**
   * A scalar or tabular expression, with any `| operator` pipes. The tabular sources stand
   * here rather than among the primaries: `print a == b == c` must not read as a comparison.
   */
  expression: Rule = this.RULE('expression', () => {
    this.OR(this.sourceAlternatives);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE(this.pipeOperator);
    });
  });

  private sourceAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.datatable) },
    { ALT: () => this.SUBRULE(this.printSource) },
    { ALT: () => this.SUBRULE(this.unionSource) },
    { ALT: () => this.SUBRULE(this.rangeSource), IGNORE_AMBIGUITIES: true },
    { ALT: () => this.SUBRULE(this.infixExpr) },
  ];

  /**
   * Operands joined by infix operators, read flat: `a + b * c == d and e`. Precedence (or < and
   * < comparisons < + - < * / %) is applied by the AST builder from one table, which keeps the
   * grammar shallow — a rule per precedence level would cost ten rule calls per operand.
   */
  infixExpr: Rule = this.RULE('infixExpr', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => this.SUBRULE(this.infixSuffix));
  });

  infixSuffix: Rule = this.RULE('infixSuffix', () => this.OR(this.infixSuffixAlternatives));

  private infixSuffixAlternatives: Alternatives = [
    {
      ALT: () => {
        this.CONSUME(T.InfixOperator);
        this.SUBRULE(this.operand);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.ListOperator);
        this.SUBRULE(this.expressionList);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.BetweenOperator);
        this.CONSUME(T.LParen);
        this.SUBRULE(this.infixExpr);
        this.CONSUME(T.DotDot);
        this.SUBRULE2(this.infixExpr);
        this.CONSUME(T.RParen);
      },
    },
  ];

  /** `(a, b, (T | project x))` after `in` / `has_any`; never empty. */
  expressionList: Rule = this.RULE('expressionList', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expression);
    });
    this.CONSUME(T.RParen);
  });

  /** `[sign] primary [.member | [index]]*` — one sign at most: Kusto rejects `- -1`. */
  operand: Rule = this.RULE('operand', () => {
    this.OPTION(() => this.CONSUME(T.AdditiveOperator));
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfixSuffix));
  });

  postfixSuffix: Rule = this.RULE('postfixSuffix', () => this.OR(this.postfixAlternatives));

  private postfixAlternatives: Alternatives = [
    {
      ALT: () => {
        this.CONSUME(T.Dot);
        this.SUBRULE(this.name);
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        this.SUBRULE(this.expression);
        this.CONSUME(T.RBracket);
      },
    },
  ];

  primary: Rule = this.RULE('primary', () => this.OR(this.primaryAlternatives));

  private primaryAlternatives: Alternatives = [
    { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME(T.StringLiteral)) },
    { ALT: () => this.CONSUME(T.NumberLiteral) },
    { ALT: () => this.CONSUME(T.TimespanLiteral) },
    { ALT: () => this.CONSUME(T.TimespanCall) },
    { ALT: () => this.CONSUME(T.DatetimeLiteral) },
    { ALT: () => this.CONSUME(T.GuidLiteral) },
    { ALT: () => this.CONSUME(T.Bool) },
    { ALT: () => this.SUBRULE(this.parenExpr) },
    { ALT: () => this.SUBRULE(this.call), IGNORE_AMBIGUITIES: true },
    { ALT: () => this.SUBRULE(this.name) },
  ];

  parenExpr: Rule = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /**
   * `f(a, b)`; also the typed literals that look like calls: `int(5)`, `long(null)`,
   * `dynamic([1, {"a": 2}])` (the JSON inside `dynamic(…)` is not an expression).
   */
  call: Rule = this.RULE('call', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.OR(this.callArgumentAlternatives);
    this.CONSUME(T.RParen);
  });

  /** The callee sits just before the `(`: `dynamic(` takes JSON, nothing else does. */
  private isDynamicCall(): boolean {
    return this.LA(-1).image === 'dynamic';
  }

  private callArgumentAlternatives: Alternatives = [
    { GATE: () => this.isDynamicCall(), ALT: () => this.SUBRULE(this.jsonValue) },
    { ALT: () => this.CONSUME(T.Null) },
    {
      GATE: () => !this.isDynamicCall(),
      ALT: () =>
        this.OPTION(() => {
          this.SUBRULE(this.argument);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.argument);
          });
        }),
    },
  ];

  /** `*` is an argument (`arg_max(t, *)`), never a value of its own. */
  argument: Rule = this.RULE('argument', () => this.OR(this.argumentAlternatives));

  private argumentAlternatives: Alternatives = [
    { ALT: () => this.CONSUME(T.Star) },
    { ALT: () => this.SUBRULE(this.expression) },
  ];

  /** `Computer`, `['a column']`, `["x"]`, `$left`; soft keywords count as names. */
  name: Rule = this.RULE('name', () => this.OR(this.nameAlternatives));

  private nameAlternatives: Alternatives = [
    { ALT: () => this.CONSUME(T.Identifier) },
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        this.CONSUME(T.StringLiteral);
        this.CONSUME(T.RBracket);
      },
    },
  ];

  /** `Resource*`, `*_id`, `T`: a name that may hold `*` wildcards (touching its parts). */
  wildcardName: Rule = this.RULE('wildcardName', () => {
    this.OR(this.wildcardStartAlternatives);
    this.MANY(this.wildcardRest);
  });

  private wildcardStartAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.name) },
    { ALT: () => this.CONSUME(T.Star) },
  ];

  private wildcardRest = {
    GATE: () => this.isAdjacent(),
    DEF: () => this.OR2(this.wildcardPartAlternatives),
  };

  private wildcardPartAlternatives: Alternatives = [
    { ALT: () => this.CONSUME2(T.Identifier) },
    { ALT: () => this.CONSUME2(T.Star) },
  ];

  // --- literals -------------------------------------------------------------------------------

  jsonValue: Rule = this.RULE('jsonValue', () => this.OR(this.jsonAlternatives));

  private jsonAlternatives: Alternatives = [
    { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME(T.StringLiteral)) },
    {
      ALT: () => {
        this.OPTION(() => this.CONSUME(T.AdditiveOperator));
        this.CONSUME(T.NumberLiteral);
      },
    },
    { ALT: () => this.CONSUME(T.Bool) },
    { ALT: () => this.CONSUME(T.Null) },
    { ALT: () => this.CONSUME(T.DatetimeLiteral) },
    { ALT: () => this.CONSUME(T.TimespanLiteral) },
    { ALT: () => this.CONSUME(T.TimespanCall) },
    { ALT: () => this.CONSUME(T.GuidLiteral) },
    { ALT: () => this.SUBRULE(this.jsonArray) },
    { ALT: () => this.SUBRULE(this.jsonObject) },
  ];

  jsonArray: Rule = this.RULE('jsonArray', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.jsonValue);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.jsonValue);
      });
    });
    this.CONSUME(T.RBracket);
  });

  jsonObject: Rule = this.RULE('jsonObject', () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.jsonMember);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.jsonMember);
      });
    });
    this.CONSUME(T.RCurly);
  });

  jsonMember: Rule = this.RULE('jsonMember', () => {
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.jsonValue);
  });


}
