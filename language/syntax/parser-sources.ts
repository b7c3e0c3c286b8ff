/**
 * Grammar layer 2: the tabular sources (`datatable`, `print`, `range`, `union`) and the pieces
 * operators share (`name = expr` assignments, `kind=…` parameters).
 */
import { ExpressionRules, operatorParams, type Alternatives, type Rule } from './parser-expressions.js';
import * as T from './tokens.js';

export abstract class SourceRules extends ExpressionRules {
  // --- tabular sources ------------------------------------------------------------------------

  /** `datatable(a:string, b:long) ["x", 1, "y", 2]` */
  datatable: Rule = this.RULE('datatable', () => {
    this.CONSUME(T.Datatable);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.columnDecl);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.columnDecl);
    });
    this.CONSUME(T.RParen);
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.infixExpr);
      this.MANY2(() => {
        this.CONSUME2(T.Comma);
        this.OPTION2(() => this.SUBRULE2(this.infixExpr)); // a trailing comma is allowed
      });
    });
    this.CONSUME(T.RBracket);
  });

  /** `name:type` */
  columnDecl: Rule = this.RULE('columnDecl', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Identifier);
  });

  printSource: Rule = this.RULE('printSource', () => {
    this.CONSUME(T.Print);
    this.SUBRULE(this.assignmentList);
  });

  /** `range x from 1 to 10 step 1` */
  rangeSource: Rule = this.RULE('rangeSource', () => {
    this.CONSUME(T.Range);
    this.SUBRULE(this.name);
    this.CONSUME(T.From);
    this.SUBRULE(this.infixExpr);
    this.CONSUME(T.To);
    this.SUBRULE2(this.infixExpr);
    this.CONSUME(T.Step);
    this.SUBRULE3(this.infixExpr);
  });

  /** `union [kind=outer] [withsource=T] [isfuzzy=true] A, (q), B*` — a source and an operator. */
  unionSource: Rule = this.RULE('unionSource', () => {
    this.CONSUME(T.Union);
    this.MANY(this.unionParams);
    this.SUBRULE(this.unionTable);
    this.MANY2(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.unionTable);
    });
  });

  private unionParams = this.paramsOf(operatorParams.union);

  /** A repetition of `name=value` parameters among `names`. */
  protected paramsOf(names: readonly string[]): { GATE: () => boolean; DEF: () => void } {
    return { GATE: () => this.isParam(names), DEF: () => this.SUBRULE(this.namedParam) };
  }

  unionTable: Rule = this.RULE('unionTable', () => this.OR(this.unionTableAlternatives));

  private unionTableAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.parenExpr) },
    { ALT: () => this.SUBRULE(this.wildcardName) },
  ];

  /** `kind=inner`, `hint.strategy=broadcast`, `isfuzzy=true`, `flags=Ui`. */
  namedParam: Rule = this.RULE('namedParam', () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier);
    });
    this.CONSUME(T.Equals);
    this.OR(this.paramValueAlternatives);
  });

  private paramValueAlternatives: Alternatives = [
    { ALT: () => this.CONSUME3(T.Identifier) },
    {
      ALT: () => {
        this.CONSUME(T.LBracket);
        this.CONSUME2(T.StringLiteral);
        this.CONSUME(T.RBracket);
      },
    },
    { ALT: () => this.CONSUME(T.Bool) },
    { ALT: () => this.CONSUME(T.NumberLiteral) },
    { ALT: () => this.CONSUME(T.StringLiteral) },
  ];

  // --- shared by operators --------------------------------------------------------------------

  assignmentList: Rule = this.RULE('assignmentList', () => {
    this.SUBRULE(this.assignment);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.assignment);
    });
  });

  /** `expr`, `name = expr`, `(a, b) = expr`. */
  assignment: Rule = this.RULE('assignment', () => {
    this.OPTION(this.assignmentName);
    this.SUBRULE(this.infixExpr);
  });

  private assignmentName = {
    GATE: () => this.isNamedAssignment(),
    DEF: () => {
      this.SUBRULE(this.assignmentTarget);
      this.CONSUME(T.Equals);
    },
  };

  assignmentTarget: Rule = this.RULE('assignmentTarget', () => this.OR(this.assignmentTargetAlternatives));

  private assignmentTargetAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.name) },
    {
      ALT: () => {
        this.CONSUME(T.LParen);
        this.SUBRULE2(this.name);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE3(this.name);
        });
        this.CONSUME(T.RParen);
      },
    },
  ];
}
