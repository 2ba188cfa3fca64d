// The typecheck stage: one warm TypeScript LanguageService over the parent's tsconfig.json, with each
// candidate's files swapped in (and the previous candidate's swapped out), so that checking a change costs
// what the change touches. It also emits the changed files' JavaScript with the project's own compilerOptions:
// the evaluator writes dist/, never the candidate.
import type * as TS from 'typescript';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FileChange } from '../candidate.js';
import { TypecheckSetupError } from './errors.js';

export interface TypecheckResult {
  /** One line per error: path:line:col message. Empty: the change typechecks. */
  errors: string[];
  /** The emitted dist/ files of the changed sources (and deletions of those whose source went). */
  emitted: FileChange[];
}

export interface TypeChecker {
  /** Loads the parent's program once (the warm-up), so that the first candidate is not charged for it. */
  warm(): void;
  /** Checks `changes` (paths relative to the root) and the files in `alsoCheck`, then emits the changes. */
  check(changes: readonly FileChange[], alsoCheck: readonly string[]): TypecheckResult;
}

function parseConfig(ts: typeof TS, root: string): TS.ParsedCommandLine {
  const file = join(root, 'tsconfig.json');
  const problems: string[] = [];
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d: TS.Diagnostic) => { problems.push(ts.flattenDiagnosticMessageText(d.messageText, ' ')); } };
  const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, host);
  if (!parsed || problems.length > 0 || parsed.errors.length > 0) {
    const why = [...problems, ...(parsed?.errors ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))].join('; ');
    throw new TypecheckSetupError(`Cannot read the parent's compiler settings "${file}": ${why || 'unreadable'}`);
  }
  return parsed;
}

function formatDiagnostic(ts: typeof TS, root: string, d: TS.Diagnostic): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) return msg;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${relative(root, d.file.fileName)}:${line + 1}:${character + 1} ${msg}`;
}

/**
 * A warm checker of candidates against the parent tree at `root`.
 * @throws TypecheckSetupError when the parent's tsconfig.json cannot be read
 */
export function createWarmTypecheck(ts: typeof TS, root: string): TypeChecker {
  const parsed = parseConfig(ts, root);
  const options: TS.CompilerOptions = { ...parsed.options, incremental: false, noEmit: false, declaration: false };
  delete options.tsBuildInfoFile;
  const base = new Set(parsed.fileNames);
  const overlay = new Map<string, string | null>();
  const versions = new Map<string, number>();
  const bump = (f: string) => versions.set(f, (versions.get(f) ?? 0) + 1);
  const read = (f: string): string | undefined => (overlay.has(f) ? overlay.get(f) ?? undefined : ts.sys.readFile(f));
  const host: TS.LanguageServiceHost = {
    getScriptFileNames: () => [...new Set([...base, ...overlay.keys()])].filter((f) => overlay.get(f) !== null && /\.tsx?$/.test(f)),
    getScriptVersion: (f) => String(versions.get(f) ?? 0),
    getScriptSnapshot: (f) => { const t = read(f); return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t); },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => (overlay.has(f) ? overlay.get(f) !== null : ts.sys.fileExists(f)),
    readFile: read,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const swapIn = (changes: readonly FileChange[]) => {
    const next = new Map(changes.map((c) => [join(root, c.path), c.after]));
    for (const f of overlay.keys()) if (!next.has(f)) { overlay.delete(f); bump(f); }
    for (const [f, t] of next) if (overlay.get(f) !== t || !overlay.has(f)) { overlay.set(f, t); bump(f); }
  };
  const distOf = (abs: string, ext: string): string => join(options.outDir ?? root, relative(options.rootDir ?? root, abs)).replace(/\.ts$/, ext);
  const changeOf = (abs: string, after: string | null): FileChange => {
    const path = relative(root, abs);
    return { path, before: existsSync(abs) ? readFileSync(abs, 'utf8') : null, after };
  };
  return {
    warm() { service.getProgram(); },
    check(changes, alsoCheck) {
      swapIn(changes);
      const ts_ = changes.filter((c) => /\.tsx?$/.test(c.path));
      const live = ts_.filter((c) => c.after !== null).map((c) => join(root, c.path));
      const targets = [...new Set([...live, ...alsoCheck.map((f) => join(root, f)).filter((f) => host.fileExists(f))])];
      const errors = targets.flatMap((f) => [...service.getSyntacticDiagnostics(f), ...service.getSemanticDiagnostics(f)])
        .filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => formatDiagnostic(ts, root, d));
      if (errors.length > 0) return { errors, emitted: [] };
      const emitted: FileChange[] = [];
      for (const f of live) {
        const out = service.getEmitOutput(f);
        if (out.emitSkipped) errors.push(`${relative(root, f)}: the compiler skipped its emit`);
        for (const o of out.outputFiles) emitted.push(changeOf(o.name, o.text));
      }
      for (const c of ts_.filter((x) => x.after === null)) {
        for (const ext of ['.js', '.js.map']) {
          const d = distOf(join(root, c.path), ext);
          if (existsSync(d)) emitted.push(changeOf(d, null));
        }
      }
      return { errors, emitted };
    },
  };
}
