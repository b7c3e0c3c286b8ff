/**
 * Token types of the query language. Order in `allTokens` matters: the lexer tries patterns in
 * that order (longer literals and operators before their prefixes, keywords before Identifier).
 *
 * Soft keywords (`kind`, `count`, `from`, `where` …) carry `Identifier` as a token category, so a
 * rule that consumes `Identifier` also accepts them: Kusto lets most keywords name columns.
 * Hard keywords (`and`, `by`, `on`, `let`, the string operators …) never name anything.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Highlighting categories returned by `tokenize`. */
export type TokenKind =
  | 'keyword'
  | 'operator-keyword'
  | 'identifier'
  | 'string'
  | 'number'
  | 'timespan'
  | 'datetime'
  | 'comment'
  | 'punctuation';

const kinds = new Map<string, TokenKind>();

function token(config: Parameters<typeof createToken>[0], kind: TokenKind): TokenType {
  const type = createToken(config);
  kinds.set(type.name, kind);
  return type;
}

/** The highlighting category of a token type (by name, as tokens carry `tokenType.name`). */
export function tokenKindOf(type: TokenType): TokenKind {
  return kinds.get(type.name) ?? 'punctuation';
}

// --- trivia ----------------------------------------------------------------------------------
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const Comment = token({ name: 'Comment', pattern: /\/\/[^\n]*/, group: 'comments' }, 'comment');

// --- names -----------------------------------------------------------------------------------
export const Identifier = token(
  { name: 'Identifier', pattern: /\$left\b|\$right\b|[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' },
  'identifier',
);

/** Every binary operator; the AST builder ranks them by precedence. */
export const InfixOperator = createToken({ name: 'InfixOperator', pattern: Lexer.NA, label: 'an operator' });

const keywordTokens: TokenType[] = [];

/**
 * Groups of interchangeable keywords (`where`/`filter`, `asc`/`desc` …): one token category
 * each, so the grammar consumes the group without an alternation.
 */
const group = (name: string, label: string): TokenType => createToken({ name, pattern: Lexer.NA, label });
export const WhereKeyword = group('WhereKeyword', "'where'");
export const TakeKeyword = group('TakeKeyword', "'take'");
export const SortKeyword = group('SortKeyword', "'sort'");
export const SortDirection = group('SortDirection', "'asc' or 'desc'");
export const NullsPosition = group('NullsPosition', "'first' or 'last'");
export const ProjectAwayKeyword = group('ProjectAwayKeyword', "'project-away'");
export const BetweenOperator = group('BetweenOperator', "'between'");

/** A keyword; `soft` ones may also be used as names. */
function keyword(word: string, kind: TokenKind, soft: boolean, name?: string, categories: TokenType[] = []): TokenType {
  const type = token(
    {
      name: name ?? word.charAt(0).toUpperCase() + word.slice(1),
      pattern: new RegExp(word.replace(/-/g, '\\-')),
      longer_alt: Identifier,
      label: `'${word}'`,
      categories: soft ? [Identifier, ...categories] : categories,
    },
    kind,
  );
  keywordTokens.push(type);
  return type;
}

// Hard keywords.
export const Let = keyword('let', 'keyword', false);
export const By = keyword('by', 'keyword', false);
export const On = keyword('on', 'keyword', false);
export const And = keyword('and', 'keyword', false, undefined, [InfixOperator]);
export const Or = keyword('or', 'keyword', false, undefined, [InfixOperator]);
export const Between = keyword('between', 'keyword', false, undefined, [BetweenOperator]);
export const Datatable = keyword('datatable', 'operator-keyword', false);
export const Print = keyword('print', 'operator-keyword', false);
export const Union = keyword('union', 'operator-keyword', false);
export const Null = keyword('null', 'keyword', false);

// Tabular operators (soft: `count`, `project`, `parse` … may name columns).
export const ProjectAway = keyword('project-away', 'operator-keyword', false, 'ProjectAway', [ProjectAwayKeyword]);
export const ProjectKeep = keyword('project-keep', 'operator-keyword', false, 'ProjectKeep', [ProjectAwayKeyword]);
export const ProjectRename = keyword('project-rename', 'operator-keyword', false, 'ProjectRename');
export const ProjectReorder = keyword('project-reorder', 'operator-keyword', false, 'ProjectReorder');
export const MvExpand = keyword('mv-expand', 'operator-keyword', false, 'MvExpand');
export const MakeSeries = keyword('make-series', 'operator-keyword', false, 'MakeSeries');
export const Where = keyword('where', 'operator-keyword', true, undefined, [WhereKeyword]);
export const Filter = keyword('filter', 'operator-keyword', true, undefined, [WhereKeyword]);
export const Project = keyword('project', 'operator-keyword', true);
export const Extend = keyword('extend', 'operator-keyword', true);
export const Summarize = keyword('summarize', 'operator-keyword', true);
export const Distinct = keyword('distinct', 'operator-keyword', true);
export const Top = keyword('top', 'operator-keyword', true);
export const Take = keyword('take', 'operator-keyword', true, undefined, [TakeKeyword]);
export const Limit = keyword('limit', 'operator-keyword', true, undefined, [TakeKeyword]);
export const Sort = keyword('sort', 'operator-keyword', true, undefined, [SortKeyword]);
export const Order = keyword('order', 'operator-keyword', true, undefined, [SortKeyword]);
export const Count = keyword('count', 'operator-keyword', true);
export const Join = keyword('join', 'operator-keyword', true);
export const Lookup = keyword('lookup', 'operator-keyword', true);
export const Parse = keyword('parse', 'operator-keyword', true);
export const Render = keyword('render', 'operator-keyword', true);
export const Getschema = keyword('getschema', 'operator-keyword', true);
export const As = keyword('as', 'operator-keyword', true);
export const Serialize = keyword('serialize', 'operator-keyword', true);
export const Range = keyword('range', 'operator-keyword', true);

// Soft keywords inside operators.
export const With = keyword('with', 'keyword', true);
export const From = keyword('from', 'keyword', true);
export const To = keyword('to', 'keyword', true);
export const Step = keyword('step', 'keyword', true);
export const Asc = keyword('asc', 'keyword', true, undefined, [SortDirection]);
export const Desc = keyword('desc', 'keyword', true, undefined, [SortDirection]);
export const Nulls = keyword('nulls', 'keyword', true);
export const First = keyword('first', 'keyword', true, undefined, [NullsPosition]);
export const Last = keyword('last', 'keyword', true, undefined, [NullsPosition]);
export const Typeof = keyword('typeof', 'keyword', true);
export const Default = keyword('default', 'keyword', true);

export const Bool = token(
  { name: 'Bool', pattern: /true|false|True|False|TRUE|FALSE/, longer_alt: Identifier, label: 'true or false' },
  'keyword',
);

// --- literals --------------------------------------------------------------------------------
/** '…' "…" with escapes, @'…' @"…" verbatim, h-prefixed (obfuscated) forms, ```…``` multi-line. */
export const StringLiteral = token(
  {
    name: 'StringLiteral',
    pattern:
      /```[\s\S]*?```|~~~[\s\S]*?~~~|[hH]?(?:@"(?:[^"\n]|"")*"|@'(?:[^'\n]|'')*'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/,
    label: 'a string',
  },
  'string',
);
/** A string not closed before the end of its line; reported, then parsed as a string. */
export const UnterminatedString = token(
  {
    name: 'UnterminatedString',
    pattern: /```[\s\S]*|~~~[\s\S]*|[hH]?@?(?:"(?:[^"\\\n]|\\.)*|'(?:[^'\\\n]|\\.)*)\\?/,
    label: 'a string',
  },
  'string',
);

const timespanUnits = [
  'nanoseconds', 'microseconds', 'nanosecond', 'milliseconds', 'microsecond', 'millisecond', 'microsec', 'millisec', 'minutes',
  'seconds', 'millis', 'minute', 'second', 'milli', 'hours', 'ticks', 'days', 'hour', 'tick', 'mins',
  'secs', 'hrs', 'day', 'min', 'sec', 'hr', 'ms', 'd', 'h', 'm', 's',
];
/** `1d`, `1.5h`, `100ms`, `10microsecond`, `5tick`. */
export const TimespanLiteral = token(
  {
    name: 'TimespanLiteral',
    pattern: new RegExp(`\\d+(?:\\.\\d+)?(?:${timespanUnits.join('|')})(?![A-Za-z0-9_])`),
    label: 'a timespan',
  },
  'timespan',
);
/** `timespan(…)` / `time(…)`: the whole literal is one token. */
export const TimespanCall = token(
  { name: 'TimespanCall', pattern: /(?:timespan|time)[ \t]*\([^)\n]*\)/, label: 'a timespan' },
  'timespan',
);
/** `datetime(…)`: the content (dates with spaces, colons, dashes) is not made of tokens. */
export const DatetimeLiteral = token(
  { name: 'DatetimeLiteral', pattern: /datetime[ \t]*\([^)\n]*\)/, label: 'a datetime' },
  'datetime',
);
export const GuidLiteral = token({ name: 'GuidLiteral', pattern: /guid[ \t]*\([^)\n]*\)/, label: 'a guid' }, 'string');
/** `datetime(` / `timespan(` / `guid(` never closed on its line: reported as a bad literal. */
export const BadTypedLiteral = token(
  { name: 'BadTypedLiteral', pattern: /(?:datetime|timespan|time|guid)[ \t]*\([^)\n]*/, label: 'a literal' },
  'datetime',
);
export const NumberLiteral = token(
  {
    name: 'NumberLiteral',
    // `1.` is a real, but `1..2` is a range: a dot followed by a dot ends the number.
    pattern: /0[xX][0-9a-fA-F]+|\d+\.(?!\.)\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+/,
    label: 'a number',
  },
  'number',
);

// --- operators and punctuation ---------------------------------------------------------------
function punct(name: string, pattern: RegExp | string, label: string, categories?: TokenType[]): TokenType {
  return token({ name, pattern, label: `'${label}'`, ...(categories ? { categories } : {}) }, 'punctuation');
}

/** Binary comparison and string operators share one precedence level. */
export const CompareOperator = createToken({
  name: 'CompareOperator',
  pattern: Lexer.NA,
  label: 'a comparison',
  categories: [InfixOperator],
});
/** `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`: followed by a parenthesised list. */
export const ListOperator = createToken({ name: 'ListOperator', pattern: Lexer.NA, label: "'in'" });

export const StringOperator = token(
  {
    name: 'StringOperator',
    pattern: /!?(?:hasprefix|hassuffix|has|contains|startswith|endswith)(?:_cs)?/,
    longer_alt: Identifier,
    categories: [CompareOperator],
    label: 'a string operator',
  },
  'keyword',
);
export const MatchesRegex = token(
  { name: 'MatchesRegex', pattern: /matches[ \t]+regex/, categories: [CompareOperator], label: "'matches regex'" },
  'keyword',
);
export const HasAny = token(
  { name: 'HasAny', pattern: /has_any/, longer_alt: Identifier, categories: [ListOperator], label: "'has_any'" },
  'keyword',
);
export const HasAll = token(
  { name: 'HasAll', pattern: /has_all/, longer_alt: Identifier, categories: [ListOperator], label: "'has_all'" },
  'keyword',
);
export const NotInCi = token({ name: 'NotInCi', pattern: /!in~/, categories: [ListOperator], label: "'!in~'" }, 'keyword');
export const NotIn = token(
  { name: 'NotIn', pattern: /!in/, longer_alt: Identifier, categories: [ListOperator], label: "'!in'" },
  'keyword',
);
export const InCi = token({ name: 'InCi', pattern: /in~/, categories: [ListOperator], label: "'in~'" }, 'keyword');
export const In = token(
  { name: 'In', pattern: /in/, longer_alt: Identifier, categories: [ListOperator], label: "'in'" },
  'keyword',
);
export const NotBetween = token(
  { name: 'NotBetween', pattern: /!between/, label: "'!between'", categories: [BetweenOperator] },
  'keyword',
);

export const AdditiveOperator = createToken({
  name: 'AdditiveOperator',
  pattern: Lexer.NA,
  label: "'+' or '-'",
  categories: [InfixOperator],
});
export const MultiplicativeOperator = createToken({
  name: 'MultiplicativeOperator',
  pattern: Lexer.NA,
  label: "'*', '/' or '%'",
  categories: [InfixOperator],
});

export const Pipe = punct('Pipe', '|', '|');
export const Semicolon = punct('Semicolon', ';', ';');
export const Comma = punct('Comma', ',', ',');
export const Colon = punct('Colon', ':', ':');
export const DotDot = punct('DotDot', '..', '..');
export const Dot = punct('Dot', '.', '.');
export const LParen = punct('LParen', '(', '(');
export const RParen = punct('RParen', ')', ')');
export const LBracket = punct('LBracket', '[', '[');
export const RBracket = punct('RBracket', ']', ']');
export const LCurly = punct('LCurly', '{', '{');
export const RCurly = punct('RCurly', '}', '}');
export const EqualTilde = punct('EqualTilde', '=~', '=~', [CompareOperator]);
export const DoubleEquals = punct('DoubleEquals', '==', '==', [CompareOperator]);
export const NotEquals = punct('NotEquals', '!=', '!=', [CompareOperator]);
export const NotTilde = punct('NotTilde', '!~', '!~', [CompareOperator]);
/** `<>` is another spelling of `!=`; the AST records it as `!=`. */
export const LessGreater = punct('LessGreater', '<>', '<>', [CompareOperator]);
export const LessEquals = punct('LessEquals', '<=', '<=', [CompareOperator]);
export const GreaterEquals = punct('GreaterEquals', '>=', '>=', [CompareOperator]);
export const Less = punct('Less', '<', '<', [CompareOperator]);
export const Greater = punct('Greater', '>', '>', [CompareOperator]);
export const Equals = punct('Equals', '=', '=');
export const Plus = punct('Plus', '+', '+', [AdditiveOperator]);
export const Minus = punct('Minus', '-', '-', [AdditiveOperator]);
export const Star = punct('Star', '*', '*', [MultiplicativeOperator]);
export const Slash = punct('Slash', '/', '/', [MultiplicativeOperator]);
export const Percent = punct('Percent', '%', '%', [MultiplicativeOperator]);

export const allTokens: TokenType[] = [
  WhereKeyword,
  TakeKeyword,
  SortKeyword,
  SortDirection,
  NullsPosition,
  ProjectAwayKeyword,
  BetweenOperator,
  WhiteSpace,
  Comment,
  StringLiteral,
  TimespanLiteral,
  NumberLiteral,
  TimespanCall,
  DatetimeLiteral,
  GuidLiteral,
  BadTypedLiteral,
  NotBetween,
  HasAny,
  HasAll,
  StringOperator,
  MatchesRegex,
  NotInCi,
  NotIn,
  InCi,
  In,
  Bool,
  // Longest first, so `order` is not read as `or` + `der`.
  ...[...keywordTokens].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  UnterminatedString,
  InfixOperator,
  CompareOperator,
  ListOperator,
  AdditiveOperator,
  MultiplicativeOperator,
  EqualTilde,
  DoubleEquals,
  NotEquals,
  NotTilde,
  LessGreater,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  Equals,
  Pipe,
  Semicolon,
  Comma,
  Colon,
  DotDot,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
];
