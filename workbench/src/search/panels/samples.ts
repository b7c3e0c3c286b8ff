/** The sample queries (samples/queries/*.kql), bundled at build time: title from the first comment line. */
export interface SampleQuery {
  file: string;
  title: string;
  query: string;
}

const files = import.meta.glob<string>('../../../../samples/queries/*.kql', { query: '?raw', import: 'default', eager: true });

export const sampleQueries: readonly SampleQuery[] = Object.entries(files)
  .map(([path, text]) => {
    const file = path.split('/').pop()!;
    const firstComment = /^\s*\/\/\s*(.+)$/m.exec(text)?.[1]?.trim();
    return { file, title: firstComment ?? file.replace(/^\d+-|\.kql$/g, '').replace(/-/g, ' '), query: text.trim() };
  })
  .sort((a, b) => a.file.localeCompare(b.file));
