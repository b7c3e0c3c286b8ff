/**
 * The layering rules of ARCHITECTURE.md as data, and a checker over source files. Folders are the
 * architecture: a source file may import another part only where its part's row allows it, and the
 * browser-safe parts may import no Node API. Test code may import anything, so that a route's test
 * can start a whole server.
 *
 * Imports are found by scanning the text (comments removed) rather than with the TypeScript
 * compiler: TypeScript 7 has no JavaScript API to ask, and import syntax is regular enough.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** A part of the system: a top-level folder, or a sub-folder with rules of its own. */
export interface Part {
  readonly name: string;
  /** The other parts its source may import. */
  readonly mayImport: readonly string[];
  /** npm packages (and `node:` builtins, as `node:*`) its source may import; undefined = any. */
  readonly packages?: readonly string[];
  readonly why: string;
}

const browserSafe = 'runs in the browser worker as well as in Node';

export const parts: readonly Part[] = [
  { name: 'contracts', mayImport: [], packages: [], why: 'wire contracts shared by server, agent and workbench; they depend on nothing' },
  { name: 'language', mayImport: [], packages: ['chevrotain'], why: `the Kusto language ${browserSafe}, so no Node API, store, HTTP or app code` },
  { name: 'records', mayImport: ['language', 'contracts'], why: 'the record writer and store DDL sit below queries and the app' },
  { name: 'query', mayImport: ['language', 'records', 'contracts'], why: 'the one query runner sits below the app and the server' },
  { name: 'app', mayImport: ['language', 'query', 'records', 'contracts'], packages: undefined, why: 'domain services know nothing of HTTP or the CLI' },
  { name: 'server', mayImport: ['app', 'query', 'records', 'language', 'contracts', 'workbench-dist'], why: 'routes over the app; never the CLI' },
  { name: 'cli', mayImport: ['server', 'app', 'query', 'records', 'language', 'contracts', 'agent', 'agent/simulate', 'samples'], why: 'the composition root' },
  { name: 'agent/simulate', mayImport: ['agent', 'contracts', 'samples'], why: 'the fleet simulator drives agents on a virtual clock' },
  { name: 'agent/packaging', mayImport: ['agent', 'contracts'], why: 'builds the agent\'s Debian package; not part of it' },
  { name: 'agent', mayImport: ['contracts'], packages: ['node:*'], why: 'the agent is packaged alone for machines: only Node and the wire contracts' },
  { name: 'samples', mayImport: ['language', 'records', 'contracts'], why: 'the sample fleet is written through the record store' },
  { name: 'workbench', mayImport: ['language', 'contracts', 'samples-data'], why: `the workbench ${browserSafe}` },
  { name: 'bench', mayImport: ['*'], why: 'benchmarks measure any part' },
  { name: 'test', mayImport: ['*'], why: 'system tests drive any part' },
];

/** Files that only tests load: they may import anything. */
export function isTestSupport(path: string): boolean {
  const file = posix.basename(path);
  return /\.test\.ts$/.test(file) || /^test-|-test\.ts$|^testing\.ts$/.test(file) ||
    /(^|\/)(testing|testdata|tests|fixtures)\//.test(path) || /(^|\/)vite\.config\.ts$/.test(path);
}

/** The part a repository path belongs to (the most specific one), or undefined. */
export function partOf(path: string): Part | undefined {
  return [...parts].sort((a, b) => b.name.length - a.name.length).find((p) => path === p.name || path.startsWith(`${p.name}/`));
}

export interface ImportRef { readonly specifier: string; readonly line: number }

/** import … from 'x', export … from 'x', import 'x', import('x'), import.meta.glob('x'), require('x'). */
export function importsOf(text: string): ImportRef[] {
  const code = withoutComments(text);
  const found: ImportRef[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`$]+)\1\s*[,)]/g,
    /\bimport\.meta\.glob(?:<[^>]*>)?\(\s*(['"])([^'"]+)\1/g,
    /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      found.push({ specifier: match[2]!, line: code.slice(0, match.index).split('\n').length });
    }
  }
  return found;
}

/** Blanks comments (keeping line breaks, so line numbers hold) without touching strings. */
function withoutComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (all, str: string | undefined) => (str !== undefined ? str : all.replace(/[^\n]/g, ' ')));
}

export interface Violation { readonly file: string; readonly line: number; readonly message: string }

/** Every import in `files` (repository path → text) that its part's row does not allow. */
export function violations(files: ReadonlyMap<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of files) {
    const part = partOf(file);
    if (!part || isTestSupport(file)) continue;
    for (const ref of importsOf(text)) {
      const message = ref.specifier.startsWith('.') ? checkInternal(file, part, ref.specifier) : checkPackage(part, ref.specifier);
      if (message) found.push({ file, line: ref.line, message });
    }
  }
  return found;
}

function checkInternal(file: string, part: Part, specifier: string): string | undefined {
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  const targetPart = dataPart(target) ?? partOf(target)?.name;
  if (!targetPart) return `imports ${target}, which is outside every part of ARCHITECTURE.md`;
  if (part.mayImport.includes('*')) return undefined;
  if (isTestSupport(target)) return `imports test support ${target} from non-test code`;
  if (targetPart === part.name || part.mayImport.includes(targetPart)) return undefined;
  // agent/simulate is inside agent's folder, but agent may not use the simulator.
  if (part.name === 'agent' && targetPart === 'agent/simulate') return `imports ${target}: the agent may not use the simulator (${part.why})`;
  const allowed = part.mayImport.length ? part.mayImport.join(', ') : 'no other part';
  return `imports ${target} (${targetPart}); ${part.name} may import ${allowed}: ${part.why}`;
}

/** Build outputs and data files that a part may read by path: named here so the rule is explicit. */
function dataPart(target: string): string | undefined {
  if (target.startsWith('workbench/dist')) return 'workbench-dist';
  if (/^samples\/(queries|alert-rules)\//.test(target)) return 'samples-data';
  return undefined;
}

function checkPackage(part: Part, specifier: string): string | undefined {
  if (part.packages === undefined) return undefined;
  const isNode = specifier.startsWith('node:');
  const name = isNode ? 'node:*' : specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  if (part.packages.includes(name)) return undefined;
  const allowed = part.packages.length ? part.packages.join(', ') : 'none';
  return `imports ${isNode ? 'the Node API ' : 'the package '}${specifier}; ${part.name} may use ${allowed}: ${part.why}`;
}

/** Every .ts and .svelte file under the repository's parts, keyed by repository path. */
export function sourceFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|svelte|mjs)$/.test(entry.name)) files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  for (const top of new Set(parts.map((p) => p.name.split('/')[0]!))) walk(join(root, top));
  return files;
}
