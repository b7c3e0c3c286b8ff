/**
 * The grammar, top layer: scripts, `let` statements and function definitions, on top of
 * parser-operators.ts → parser-sources.ts → parser-expressions.ts. One instance is built at
 * module load and reused (`parser.input = …`): building it analyses the whole grammar.
 */
import { type Alternatives, type Rule } from './parser-expressions.js';
import { OperatorRules } from './parser-operators.js';
import * as T from './tokens.js';

export class KqlParser extends OperatorRules {
  constructor() {
    super();
    this.performSelfAnalysis();
  }

  /** `(…) {` or `(name:` ahead: a function definition rather than a parenthesised expression. */
  private isFunctionDef(): boolean {
    if (!this.isType(1, T.LParen)) return false;
    if (this.isType(2, T.RParen)) return this.isType(3, T.LCurly);
    return this.isName(2) && this.isType(3, T.Colon);
  }

  // --- statements -----------------------------------------------------------------------------

  script: Rule = this.RULE('script', () => {
    this.OPTION(() => this.SUBRULE(this.statements));
  });

  /**
   * `let …; let …; query;` — lets separated by single `;`, then at most one expression, one
   * `;` may trail. Shared by scripts and function bodies.
   */
  statements: Rule = this.RULE('statements', () => this.OR(this.statementAlternatives));

  private statementAlternatives: Alternatives = [
    {
      ALT: () => {
        this.SUBRULE(this.letStatement);
        this.MANY(this.moreLets);
        this.OPTION(() => {
          this.CONSUME(T.Semicolon);
          this.OPTION2(() => {
            this.SUBRULE(this.expression);
            this.OPTION3(() => this.CONSUME2(T.Semicolon));
          });
        });
      },
    },
    {
      ALT: () => {
        this.SUBRULE2(this.expression);
        this.OPTION4(() => this.CONSUME3(T.Semicolon));
      },
    },
  ];

  private moreLets = {
    GATE: () => this.isType(2, T.Let),
    DEF: () => {
      this.CONSUME4(T.Semicolon);
      this.SUBRULE2(this.letStatement);
    },
  };

  letStatement: Rule = this.RULE('letStatement', () => {
    this.CONSUME(T.Let);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.OR(this.letValueAlternatives);
  });


  private letValueAlternatives: Alternatives = [
    { GATE: () => this.isFunctionDef(), ALT: () => this.SUBRULE(this.functionDef) },
    { ALT: () => this.SUBRULE(this.expression) },
  ];

  /** `(a:long, T:(x:string, *), b:string = "d") { let y = 1; T | where x == a }` */
  functionDef: Rule = this.RULE('functionDef', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
    });
    this.CONSUME(T.RParen);
    this.CONSUME(T.LCurly);
    this.SUBRULE(this.statements);
    this.CONSUME(T.RCurly);
  });

  param: Rule = this.RULE('param', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.OR(this.paramTypeAlternatives);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.infixExpr);
    });
  });

  private paramTypeAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.tabularType) },
    { ALT: () => this.CONSUME(T.Identifier) },
  ];

  /** `(x:string, y:long)` or `(*)` (any schema); Kusto does not mix the two. */
  tabularType: Rule = this.RULE('tabularType', () => {
    this.CONSUME(T.LParen);
    this.OR(this.schemaAlternatives);
    this.CONSUME(T.RParen);
  });

  private schemaAlternatives: Alternatives = [
    { ALT: () => this.CONSUME(T.Star) },
    {
      ALT: () => {
        this.SUBRULE(this.columnDecl);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.columnDecl);
        });
      },
    },
  ];
}

/** The one parser instance: Chevrotain parsers are built once and reused. */
export const parser = new KqlParser();
