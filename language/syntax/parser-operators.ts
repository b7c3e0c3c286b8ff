/**
 * Grammar layer 3: the pipe operators (`| where …`, `| summarize …` …).
 *
 * To add an operator: add its keyword in tokens.ts, a rule here, an alternative in
 * `operatorAlternatives`, and a visitor method in operators-ast.ts (validateVisitor() insists).
 */
import { operatorParams, type Alternatives, type Rule } from './parser-expressions.js';
import { SourceRules } from './parser-sources.js';
import * as T from './tokens.js';

export abstract class OperatorRules extends SourceRules {
  // --- pipe operators -------------------------------------------------------------------------

  protected pipeOperator: Rule = this.RULE('pipeOperator', () => this.OR(this.operatorAlternatives));

  private operatorAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.whereOp) },
    { ALT: () => this.SUBRULE(this.projectOp) },
    { ALT: () => this.SUBRULE(this.projectAwayOp) },
    { ALT: () => this.SUBRULE(this.projectRenameOp) },
    { ALT: () => this.SUBRULE(this.projectReorderOp) },
    { ALT: () => this.SUBRULE(this.extendOp) },
    { ALT: () => this.SUBRULE(this.summarizeOp) },
    { ALT: () => this.SUBRULE(this.distinctOp) },
    { ALT: () => this.SUBRULE(this.topOp) },
    { ALT: () => this.SUBRULE(this.takeOp) },
    { ALT: () => this.SUBRULE(this.sortOp) },
    { ALT: () => this.SUBRULE(this.countOp) },
    { ALT: () => this.SUBRULE(this.joinOp) },
    { ALT: () => this.SUBRULE(this.lookupOp) },
    { ALT: () => this.SUBRULE(this.mvExpandOp) },
    { ALT: () => this.SUBRULE(this.makeSeriesOp) },
    { ALT: () => this.SUBRULE(this.parseOp) },
    { ALT: () => this.SUBRULE(this.unionSource) },
    { ALT: () => this.SUBRULE(this.renderOp) },
    { ALT: () => this.SUBRULE(this.getschemaOp) },
    { ALT: () => this.SUBRULE(this.asOp) },
    { ALT: () => this.SUBRULE(this.serializeOp) },
  ];

  whereOp: Rule = this.RULE('whereOp', () => {
    this.CONSUME(T.WhereKeyword);
    this.SUBRULE(this.infixExpr);
  });

  projectOp: Rule = this.RULE('projectOp', () => {
    this.CONSUME(T.Project);
    this.SUBRULE(this.assignmentList);
  });

  /** `project-away` and `project-keep`: names with optional wildcards. */
  projectAwayOp: Rule = this.RULE('projectAwayOp', () => {
    this.CONSUME(T.ProjectAwayKeyword);
    this.SUBRULE(this.wildcardName);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.wildcardName);
    });
  });

  projectRenameOp: Rule = this.RULE('projectRenameOp', () => {
    this.CONSUME(T.ProjectRename);
    this.SUBRULE(this.rename);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.rename);
    });
  });

  rename: Rule = this.RULE('rename', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE2(this.name);
  });

  projectReorderOp: Rule = this.RULE('projectReorderOp', () => {
    this.CONSUME(T.ProjectReorder);
    this.SUBRULE(this.reorderColumn);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.reorderColumn);
    });
  });

  reorderColumn: Rule = this.RULE('reorderColumn', () => {
    this.SUBRULE(this.wildcardName);
    this.OPTION(() => this.CONSUME(T.SortDirection));
  });

  extendOp: Rule = this.RULE('extendOp', () => {
    this.CONSUME(T.Extend);
    this.SUBRULE(this.assignmentList);
  });

  summarizeOp: Rule = this.RULE('summarizeOp', () => {
    this.CONSUME(T.Summarize);
    this.MANY(this.hintParams);
    this.OPTION(() => this.SUBRULE(this.assignmentList));
    this.OPTION2(() => this.SUBRULE(this.byClause));
  });

  byClause: Rule = this.RULE('byClause', () => {
    this.CONSUME(T.By);
    this.SUBRULE(this.assignmentList);
  });

  distinctOp: Rule = this.RULE('distinctOp', () => {
    this.CONSUME(T.Distinct);
    this.MANY2(this.hintParams);
    this.OR(this.distinctAlternatives);
  });

  private distinctAlternatives: Alternatives = [
    { ALT: () => this.CONSUME(T.Star) },
    {
      ALT: () => {
        this.SUBRULE(this.infixExpr);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.infixExpr);
        });
      },
    },
  ];

  topOp: Rule = this.RULE('topOp', () => {
    this.CONSUME(T.Top);
    this.SUBRULE(this.infixExpr);
    this.CONSUME(T.By);
    this.SUBRULE(this.sortKey); // one key only, as in Kusto
  });

  takeOp: Rule = this.RULE('takeOp', () => {
    this.CONSUME(T.TakeKeyword);
    this.SUBRULE(this.infixExpr);
  });

  sortOp: Rule = this.RULE('sortOp', () => {
    this.CONSUME(T.SortKeyword);
    this.CONSUME(T.By);
    this.SUBRULE(this.sortKeys);
  });

  sortKeys: Rule = this.RULE('sortKeys', () => {
    this.SUBRULE(this.sortKey);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.sortKey);
    });
  });

  /** `expr [asc|desc] [nulls first|last]` */
  sortKey: Rule = this.RULE('sortKey', () => {
    this.SUBRULE(this.infixExpr);
    this.OPTION(() => this.CONSUME(T.SortDirection));
    this.OPTION2(() => {
      this.CONSUME(T.Nulls);
      this.CONSUME(T.NullsPosition);
    });
  });

  countOp: Rule = this.RULE('countOp', () => {
    this.CONSUME(T.Count);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.SUBRULE(this.name);
    });
  });

  joinOp: Rule = this.RULE('joinOp', () => {
    this.CONSUME(T.Join);
    this.MANY(this.joinParams);
    this.SUBRULE(this.joinRight);
    this.SUBRULE(this.joinConditions);
  });

  lookupOp: Rule = this.RULE('lookupOp', () => {
    this.CONSUME(T.Lookup);
    this.MANY(this.lookupParams);
    this.SUBRULE(this.joinRight);
    this.SUBRULE(this.joinConditions);
  });

  private joinParams = this.paramsOf(operatorParams.join);
  private lookupParams = this.paramsOf(operatorParams.lookup);

  joinRight: Rule = this.RULE('joinRight', () => this.OR(this.joinRightAlternatives));

  private joinRightAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.parenExpr) },
    { ALT: () => this.SUBRULE(this.name) },
  ];

  /** `on a, $left.b == $right.c and d` */
  joinConditions: Rule = this.RULE('joinConditions', () => {
    this.CONSUME(T.On);
    this.SUBRULE(this.joinCondition);
    this.MANY(() => {
      this.OR(this.conditionSeparators);
      this.SUBRULE2(this.joinCondition);
    });
  });

  private conditionSeparators: Alternatives = [
    { ALT: () => this.CONSUME(T.Comma) },
    { ALT: () => this.CONSUME(T.And) },
  ];

  joinCondition: Rule = this.RULE('joinCondition', () => {
    this.SUBRULE(this.operand);
    this.OPTION(() => {
      this.CONSUME(T.DoubleEquals);
      this.SUBRULE2(this.operand);
    });
  });

  /** `mv-expand [with_itemindex=i] [name =] expr [to typeof(t)], … [limit n]` */
  mvExpandOp: Rule = this.RULE('mvExpandOp', () => {
    this.CONSUME(T.MvExpand);
    this.MANY(this.mvExpandParams);
    this.SUBRULE(this.mvExpandColumn);
    this.MANY2(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.mvExpandColumn);
    });
    this.OPTION(() => {
      this.CONSUME(T.Limit);
      this.SUBRULE(this.infixExpr);
    });
  });

  private mvExpandParams = this.paramsOf(operatorParams.mvExpand);

  mvExpandColumn: Rule = this.RULE('mvExpandColumn', () => {
    this.SUBRULE(this.assignment);
    this.OPTION(() => {
      this.CONSUME(T.To);
      this.CONSUME(T.Typeof);
      this.CONSUME(T.LParen);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.RParen);
    });
  });

  /** `make-series [n =] agg [default = v], … on t (from a to b step s | in range(a, b, s)) [by …]` */
  makeSeriesOp: Rule = this.RULE('makeSeriesOp', () => {
    this.CONSUME(T.MakeSeries);
    this.MANY2(this.makeSeriesParams);
    this.SUBRULE(this.makeSeriesAggregate);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.makeSeriesAggregate);
    });
    this.CONSUME(T.On);
    this.SUBRULE(this.operand);
    this.OR(this.seriesAxisAlternatives);
    this.OPTION(() => this.SUBRULE(this.byClause));
  });

  private makeSeriesParams = this.paramsOf(operatorParams.makeSeries);
  private hintParams = this.paramsOf(operatorParams.hintOnly);

  private seriesAxisAlternatives: Alternatives = [
    { ALT: () => this.SUBRULE(this.seriesRange) },
    { ALT: () => this.SUBRULE(this.seriesBounds) },
  ];

  /** `in range(from, to, step)` */
  seriesRange: Rule = this.RULE('seriesRange', () => {
    this.CONSUME(T.In);
    this.CONSUME(T.Range);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.infixExpr);
    this.CONSUME(T.Comma);
    this.SUBRULE2(this.infixExpr);
    this.CONSUME2(T.Comma);
    this.SUBRULE3(this.infixExpr);
    this.CONSUME(T.RParen);
  });

  makeSeriesAggregate: Rule = this.RULE('makeSeriesAggregate', () => {
    this.SUBRULE(this.assignment);
    this.OPTION(() => {
      this.CONSUME(T.Default);
      this.CONSUME(T.Equals);
      this.SUBRULE(this.infixExpr);
    });
  });

  seriesBounds: Rule = this.RULE('seriesBounds', () => {
    this.OPTION(() => {
      this.CONSUME(T.From);
      this.SUBRULE(this.infixExpr);
    });
    this.OPTION2(() => {
      this.CONSUME(T.To);
      this.SUBRULE2(this.infixExpr);
    });
    this.CONSUME(T.Step);
    this.SUBRULE3(this.infixExpr);
  });

  /** `parse [kind=regex [flags=U]] expr with "text" name:type * …` */
  parseOp: Rule = this.RULE('parseOp', () => {
    this.CONSUME(T.Parse);
    this.MANY(this.parseParams);
    this.SUBRULE(this.infixExpr);
    this.CONSUME(T.With);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.parsePart));
  });

  private parseParams = this.paramsOf(operatorParams.parse);

  parsePart: Rule = this.RULE('parsePart', () => this.OR(this.parsePartAlternatives));

  private parsePartAlternatives: Alternatives = [
    { ALT: () => this.CONSUME(T.StringLiteral) },
    { ALT: () => this.CONSUME(T.Star) },
    {
      ALT: () => {
        this.SUBRULE(this.name);
        this.OPTION(() => {
          this.CONSUME(T.Colon);
          this.CONSUME(T.Identifier);
        });
      },
    },
  ];

  /** `render timechart [with (title="x", ycolumns=a, b, kind=stacked)]` */
  renderOp: Rule = this.RULE('renderOp', () => {
    this.CONSUME(T.Render);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.With);
      this.CONSUME(T.LParen);
      this.SUBRULE(this.renderProperty);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.renderProperty);
      });
      this.CONSUME(T.RParen);
    });
  });

  renderProperty: Rule = this.RULE('renderProperty', () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.infixExpr);
    // `ycolumns=a, b`: a comma not followed by `name =` continues this property's list.
    this.MANY(this.renderValueRest);
  });

  private renderValueRest = {
    GATE: () => this.isType(1, T.Comma) && !(this.isName(2) && this.isType(3, T.Equals)),
    DEF: () => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.infixExpr);
    },
  };

  getschemaOp: Rule = this.RULE('getschemaOp', () => {
    this.CONSUME(T.Getschema);
  });

  asOp: Rule = this.RULE('asOp', () => {
    this.CONSUME(T.As);
    this.SUBRULE(this.name);
  });

  serializeOp: Rule = this.RULE('serializeOp', () => {
    this.CONSUME(T.Serialize);
    this.OPTION(() => this.SUBRULE(this.assignmentList));
  });
}
