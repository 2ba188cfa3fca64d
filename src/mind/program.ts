// The TypeScript program the index analyses: loaded lazily (the CLI bundle does not carry the compiler),
// over in-memory texts, without the default lib or @types (resolution of our own symbols needs neither,
// and the OS ships only typescript.js), with relative imports resolved the NodeNext way (`./x.js` -> x.ts).
import type * as TS from 'typescript';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { CompilerUnavailableError } from './errors.js';

export type Ts = typeof TS;
let loading: Promise<Ts> | undefined;

/** The compiler API, imported on first use. @throws CompilerUnavailableError when typescript is not installed */
export function loadTypeScript(): Promise<Ts> {
  // require, not import(): an ESM import of this 9 MB CommonJS file first runs Node's export lexer over
  // it (half a second here, seconds under emulation). The bundle keeps typescript external (bundle.ts).
  loading ??= Promise.resolve().then(() => createRequire(import.meta.url)('typescript') as Ts).then(
    (m) => m,
    (err: unknown) => {
      loading = undefined;
      throw new CompilerUnavailableError(
        `Cannot load the TypeScript compiler ("typescript"): ${(err as Error).message.split('\n')[0]}; install it (npm ci) or ship node_modules/typescript with the generation`,
        { cause: err },
      );
    },
  );
  return loading;
}

/** Every path a relative specifier could name, in resolution order (NodeNext: `.js` names the `.ts` source). */
export function importCandidates(from: string, specifier: string): string[] {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return [];
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (base.startsWith('../') || base === '..') return [];
  const m = /\.(m|c)?jsx?$/.exec(base);
  if (m) {
    const stem = base.slice(0, -m[0].length);
    return m[1] ? [`${stem}.${m[1]}ts`] : [`${stem}.ts`, `${stem}.tsx`];
  }
  if (/\.(m|c)?tsx?$/.test(base)) return [base];
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`];
}

/** Resolves a specifier to a file of the set, or undefined (packages, missing files). */
export function resolveImport(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  return importCandidates(from, specifier).find(exists);
}

const sourceFileCache = new Map<string, TS.SourceFile>();

/** A parsed file, from the cache when this process parsed the same content before. */
export function parseSource(ts: Ts, root: string, rel: string, text: string, hash: string): TS.SourceFile {
  const key = `${root}\0${rel}\0${hash}`;
  let sf = sourceFileCache.get(key);
  if (!sf) {
    sf = ts.createSourceFile(posix.join(root, rel), text, ts.ScriptTarget.ES2022, true, rel.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    if (sourceFileCache.size > 4000) sourceFileCache.clear();
    sourceFileCache.set(key, sf);
  }
  return sf;
}

/**
 * A program over `roots` (paths relative to `root`), pulling in what they import from `texts`.
 * Parsed files are cached by path and content hash, so an update in the same process re-parses only
 * what changed.
 */
export function createProgram(ts: Ts, root: string, roots: string[], texts: Map<string, { text: string; hash: string }>): TS.Program {
  const abs = (rel: string) => posix.join(root, rel);
  const rel = (p: string) => posix.relative(root, p);
  const options: TS.CompilerOptions = {
    noLib: true, types: [], noEmit: true, allowJs: false, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true,
    allowImportingTsExtensions: true, strict: true,
  };
  const host: TS.CompilerHost = {
    getSourceFile(fileName) {
      const r = rel(fileName);
      const t = texts.get(r);
      return t && parseSource(ts, root, r, t.text, t.hash);
    },
    getDefaultLibFileName: () => abs('__nolib.d.ts'),
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => texts.has(rel(f)),
    readFile: (f) => texts.get(rel(f))?.text,
    resolveModuleNameLiterals(literals, containingFile) {
      const from = rel(containingFile);
      return literals.map((lit) => {
        const to = resolveImport(from, lit.text, (p) => texts.has(p));
        return { resolvedModule: to ? { resolvedFileName: abs(to), extension: to.endsWith('x') ? ts.Extension.Tsx : ts.Extension.Ts, isExternalLibraryImport: false } : undefined };
      });
    },
  };
  return ts.createProgram({ rootNames: roots.map(abs), options, host });
}
