// Facts of one TypeScript file: its symbols, exports, imports, references and calls. References and call
// targets come from the type checker, so an aliased import, a re-export through index.ts or a method
// call on an inferred type all land on the declaring symbol's id.
import type * as TS from 'typescript';
import { posix } from 'node:path';
import { DeclNamer, cleanComment } from './decl.js';
import { importCandidates } from './program.js';
import type { Ts } from './program.js';
import type { CallEdge, FileRecord, ImportEdge, Reference, ReferenceKind, SymbolInfo } from './types.js';

export interface ExtractContext {
  ts: Ts;
  checker: TS.TypeChecker;
  namer: DeclNamer;
  root: string;
  /** Names of every indexed symbol: identifiers with other names cannot refer to one, so are not resolved. */
  names: Set<string>;
  /** Whether a path is a TypeScript file of the index (for resolving imports). */
  exists: (path: string) => boolean;
}

export type TsFacts = Pick<FileRecord, 'summary' | 'isModule' | 'symbols' | 'exports' | 'imports' | 'importCandidates' | 'references' | 'calls'> & {
  /** Top-level code outside declarations (test cases, a main call), as line ranges. */
  regions: Array<[number, number]>;
};

/** Names of the symbols a file declares, without the checker (the first pass of a build). */
export function declaredNames(ts: Ts, namer: DeclNamer, sf: TS.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: TS.Node): void => {
    const p = namer.parts(n);
    if (p) out.push(p[p.length - 1]!);
    if (p || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isVariableStatement(n) || ts.isVariableDeclarationList(n) || ts.isTypeLiteralNode(n)) ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The comment block a file opens with (after a shebang): what the module is for. */
export function fileSummary(ts: Ts, sf: TS.SourceFile): string | undefined {
  const text = sf.text;
  const start = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
  const ranges = ts.getLeadingCommentRanges(text, start) ?? [];
  const keep: string[] = [];
  let last = start;
  for (const r of ranges) {
    if ((text.slice(last, r.pos).match(/\n/g) ?? []).length > 1) break;
    keep.push(cleanComment(text.slice(r.pos, r.end)));
    last = r.end;
  }
  if (!keep.length) return undefined;
  const first = sf.statements[0];
  // A JSDoc block glued to the first declaration documents that declaration, not the file.
  if (first && text.slice(ranges[0]!.pos).startsWith('/**') && keep.length === ranges.length
    && !/\n\s*\n/.test(text.slice(last, first.getStart(sf))) && !ts.isImportDeclaration(first)) return undefined;
  return keep.join('\n').trim() || undefined;
}

function refKind(ts: Ts, id: TS.Identifier): ReferenceKind {
  let n: TS.Node = id;
  while (ts.isQualifiedName(n.parent) || (ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) n = n.parent;
  const p = n.parent;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return 'import';
  if (ts.isExportSpecifier(p) || ts.isExportAssignment(p)) return 'export';
  if (ts.isCallExpression(p) && p.expression === n) return 'call';
  if (ts.isNewExpression(p) && p.expression === n) return 'new';
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || ts.isImportTypeNode(p)) return 'type';
  if (ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && (p.parent.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(p.parent.parent))) return 'type';
  return 'use';
}

/** Every fact of one file; `path` is relative to the root. */
export function extractFacts(cx: ExtractContext, sf: TS.SourceFile, path: string): TsFacts {
  const { ts, checker, namer } = cx;
  const rel = (f: string) => posix.relative(cx.root, f);
  const idOfSymbol = (s: TS.Symbol | undefined): string | undefined => {
    if (!s) return undefined;
    if (s.flags & ts.SymbolFlags.Alias) {
      try { s = checker.getAliasedSymbol(s); } catch { return undefined; }
    }
    for (const d of s.declarations ?? []) {
      const parts = namer.parts(d);
      if (parts) return `${rel(d.getSourceFile().fileName)}#${parts.join('.')}`;
    }
    return undefined;
  };
  const resolved = new Map<TS.Node, string | undefined>();
  const resolveIdent = (id: TS.Identifier): string | undefined => {
    if (resolved.has(id)) return resolved.get(id);
    let r: string | undefined;
    if (cx.names.has(id.text) || localAliases.has(id.text)) {
      const sym = ts.isShorthandPropertyAssignment(id.parent) ? checker.getShorthandAssignmentValueSymbol(id.parent) : checker.getSymbolAtLocation(id);
      r = idOfSymbol(sym);
    }
    resolved.set(id, r);
    return r;
  };
  const loc = (n: TS.Node) => { const p = sf.getLineAndCharacterOfPosition(n.getStart(sf)); return { path, line: p.line + 1, column: p.character + 1 }; };

  // Import bindings may rename (`import { a as b }`): `b` must be resolved although no symbol is named b.
  const localAliases = new Set<string>();
  const imports: ImportEdge[] = [];
  const candidates = new Set<string>();
  const addImport = (node: TS.Node, spec: string, names: string[], typeOnly: boolean): void => {
    for (const c of importCandidates(path, spec)) candidates.add(c);
    const to = importCandidates(path, spec).find(cx.exists);
    imports.push({ from: path, ...(to ? { to } : {}), specifier: spec, line: loc(node).line, names, typeOnly });
  };
  collectStaticImports(ts, sf, addImport, localAliases);

  const symbols = new Map<string, SymbolInfo>();
  const references: Reference[] = [];
  const calls: CallEdge[] = [];
  const callerOf = (n: TS.Node): string => {
    for (let p = n.parent; p && !ts.isSourceFile(p); p = p.parent) {
      const parts = namer.parts(p);
      if (parts) return `${path}#${parts.join('.')}`;
    }
    return path;
  };
  const visit = (n: TS.Node): void => {
    const parts = namer.parts(n);
    if (parts) {
      const info = namer.info(n, sf, path, parts);
      const prev = symbols.get(info.id);
      if (!prev) symbols.set(info.id, { ...info, exported: false });
      else prev.endLine = Math.max(prev.endLine, info.endLine); // overloads, merged interfaces, get/set pairs
    }
    if (ts.isIdentifier(n)) {
      const decl = n.parent as { name?: TS.Node };
      // `new.target`'s `target` resolves to the class; it is not a use of any name.
      if (!(decl.name === n && namer.parts(n.parent)) && !ts.isMetaProperty(n.parent)) {
        const target = resolveIdent(n);
        if (target) references.push({ ...loc(n), symbol: target, kind: refKind(ts, n) });
      }
    } else if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      let e: TS.Expression = n.expression;
      while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
      const id = ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name) ? e.name : ts.isIdentifier(e) ? e : undefined;
      const callee = id && resolveIdent(id);
      if (callee && id) calls.push({ ...loc(id), caller: callerOf(n), callee });
      if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
        addImport(n, n.arguments[0].text, ['*'], false);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);

  const exports = markExports(cx, sf, path, symbols, idOfSymbol);
  const list = [...symbols.values()];
  const regions = topLevelRegions(ts, sf, namer, (st) => loc(st).line);

  const summary = fileSummary(ts, sf);
  return {
    ...(summary ? { summary } : {}),
    isModule: ts.isExternalModule(sf),
    symbols: list,
    exports,
    imports,
    importCandidates: [...candidates].sort(),
    references,
    calls,
    regions,
  };
}

type AddImport = (node: TS.Node, spec: string, names: string[], typeOnly: boolean) => void;

/** `import` and `export … from` statements of a file; local names of import bindings go into `localAliases`. */
function collectStaticImports(ts: Ts, sf: TS.SourceFile, addImport: AddImport, localAliases: Set<string>): void {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      const names: string[] = [];
      if (c?.name) { names.push('default'); localAliases.add(c.name.text); }
      if (c?.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.push('*');
      if (c?.namedBindings && ts.isNamedImports(c.namedBindings)) {
        for (const e of c.namedBindings.elements) { names.push((e.propertyName ?? e.name).text); localAliases.add(e.name.text); }
      }
      addImport(st, st.moduleSpecifier.text, names, Boolean(c?.isTypeOnly));
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const ec = st.exportClause;
      const names = !ec || ts.isNamespaceExport(ec) ? ['*'] : ec.elements.map((e) => (e.propertyName ?? e.name).text);
      addImport(st, st.moduleSpecifier.text, names, st.isTypeOnly);
    }
  }
}

/** The module's exports, sorted by name; marks the file's own symbols (and their public members) exported. */
function markExports(
  cx: ExtractContext, sf: TS.SourceFile, path: string, symbols: Map<string, SymbolInfo>,
  idOfSymbol: (s: TS.Symbol | undefined) => string | undefined,
): FileRecord['exports'] {
  const exports: FileRecord['exports'] = [];
  const modSym = cx.checker.getSymbolAtLocation(sf);
  if (modSym) {
    for (const s of cx.checker.getExportsOfModule(modSym)) {
      const target = idOfSymbol(s);
      exports.push({ name: s.name, ...(target ? { symbol: target } : {}) });
      const own = target && symbols.get(target);
      if (own) own.exported = true;
    }
  }
  // Members of an exported class, interface, enum or type are reachable through it unless private.
  for (const s of symbols.values()) {
    if (s.exported || !s.qualifiedName.includes('.')) continue;
    const owner = symbols.get(`${path}#${s.qualifiedName.slice(0, s.qualifiedName.lastIndexOf('.'))}`);
    s.exported = Boolean(owner?.exported) && !s.name.startsWith('#') && !/^(private|protected)\b/.test(s.signature);
  }
  return exports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Line ranges of top-level code that belongs to no symbol (statements run at import), merged when close. */
function topLevelRegions(ts: Ts, sf: TS.SourceFile, namer: ExtractContext['namer'], lineOf: (n: TS.Node) => number): Array<[number, number]> {
  const regions: Array<[number, number]> = [];
  for (const st of sf.statements) {
    const named = namer.parts(st) || (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => namer.parts(d)));
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || named) continue;
    const a = lineOf(st), b = sf.getLineAndCharacterOfPosition(st.end).line + 1;
    const last = regions[regions.length - 1];
    if (last && a - last[1] <= 2 && b - last[0] < 60) last[1] = b; else regions.push([a, b]);
  }
  return regions;
}
