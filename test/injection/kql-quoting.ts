/**
 * Any string written as a KQL string literal in each quoting form the language has, or
 * undefined when the form cannot hold it (verbatim strings end at a line break; a fenced
 * multi-line string cannot contain its fence).
 */
export const quoteForms = ['double', 'single', 'verbatim-double', 'verbatim-single', 'obfuscated', 'multiline'] as const;
export type QuoteForm = (typeof quoteForms)[number];

function escaped(value: string, quote: string): string {
  return quote + value.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`).replaceAll('\n', '\\n') + quote;
}

function verbatim(value: string, quote: string): string | undefined {
  if (value.includes('\n')) return undefined;
  return `@${quote}${value.replaceAll(quote, quote + quote)}${quote}`;
}

export function kqlString(value: string, form: QuoteForm): string | undefined {
  switch (form) {
    case 'double':
      return escaped(value, '"');
    case 'single':
      return escaped(value, "'");
    case 'verbatim-double':
      return verbatim(value, '"');
    case 'verbatim-single':
      return verbatim(value, "'");
    case 'obfuscated':
      return `h${escaped(value, '"')}`;
    case 'multiline':
      return value.includes('```') || value.endsWith('`') ? undefined : '```' + value + '```';
  }
}
