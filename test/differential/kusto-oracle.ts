/**
 * The reference Kusto parser as a syntax oracle for the differential tests.
 *
 * `@kusto/language-service-next` is a Bridge.NET build: two CommonJS-ish scripts that install
 * the globals `Bridge`, `System` and `Kusto` when evaluated (nothing is exported). `bridge.js`
 * must run first because the language script calls `Bridge.assembly(...)` at load time. We use
 * the minified builds (4 MB instead of 16 MB) because they load about twice as fast.
 *
 * Only syntax is asked for: `KustoCode.Parse` without a schema never binds names, and
 * `GetSyntaxDiagnostics` leaves out anything semantic, so an unknown table or function is
 * not an error here — exactly the contract of our own parser's E1xx diagnostics.
 */
import { createRequire } from 'node:module';

export interface OracleError {
  message: string;
  /** Character offset into the query text (the reference counts UTF-16 units, as JS does). */
  start: number;
  length: number;
}

export interface KustoOracle {
  /** Error-severity syntax diagnostics of `text`, in source order; empty when the text parses. */
  syntaxErrors(text: string): readonly OracleError[];
}

// The few members of the generated API that we touch; its own .d.ts is 1.7 MB of namespaces
// that would slow every type-check for no benefit.
interface BridgeDiagnostic {
  Message: string | null;
  Severity: string | null;
  Start: number;
  Length: number;
}

interface BridgeReadOnlyList<T> {
  Count: number;
  getItem(index: number): T;
}

interface BridgeKustoCode {
  GetSyntaxDiagnostics(): BridgeReadOnlyList<BridgeDiagnostic> | null;
}

interface KustoNamespace {
  Language: { KustoCode: { Parse(text: string): BridgeKustoCode | null } };
}

const PACKAGE = '@kusto/language-service-next';

let oracle: KustoOracle | undefined;

/** Loads the reference parser once per process (≈0.3 s, plus ≈0.8 s warm-up on first parse). */
export function loadKustoOracle(): KustoOracle {
  oracle ??= createOracle(loadKustoNamespace());
  return oracle;
}

function loadKustoNamespace(): KustoNamespace {
  const holder = globalThis as { Kusto?: KustoNamespace };
  if (holder.Kusto === undefined) {
    const require = createRequire(import.meta.url);
    require(`${PACKAGE}/bridge.min.js`);
    require(`${PACKAGE}/Kusto.Language.Bridge.min.js`);
  }
  if (holder.Kusto?.Language?.KustoCode === undefined) {
    throw new Error(`${PACKAGE} loaded but did not define Kusto.Language.KustoCode; check the package version (12.x expected).`);
  }
  return holder.Kusto;
}

function createOracle(kusto: KustoNamespace): KustoOracle {
  const { KustoCode } = kusto.Language;
  // The tests ask about each query several times (corpus mark, verdict, position); a parse
  // costs about a millisecond, so remembering answers keeps the suite near one parse per query.
  const answers = new Map<string, readonly OracleError[]>();
  return {
    syntaxErrors(text: string): readonly OracleError[] {
      let errors = answers.get(text);
      if (errors === undefined) {
        errors = Object.freeze(parseErrors(KustoCode.Parse(text)));
        answers.set(text, errors);
      }
      return errors;
    },
  };
}

function parseErrors(code: BridgeKustoCode | null): OracleError[] {
  const diagnostics = code?.GetSyntaxDiagnostics();
  const errors: OracleError[] = [];
  if (!diagnostics) return errors;
  for (let i = 0; i < diagnostics.Count; i++) {
    const d = diagnostics.getItem(i);
    if (d.Severity === 'Error') errors.push(Object.freeze({ message: d.Message ?? '', start: d.Start, length: d.Length }));
  }
  return errors.sort((a, b) => a.start - b.start);
}
