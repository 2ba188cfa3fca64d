// Which declarations the index names (top-level declarations and members of classes, interfaces, enums
// and object types), their stable ids, kinds, signatures and doc comments.
import type * as TS from 'typescript';
import { sha256 } from './walk.js';
import type { SymbolInfo, SymbolKind } from './types.js';
import type { Ts } from './program.js';

const oneLine = (s: string, max: number): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export class DeclNamer {
  private readonly cache = new Map<TS.Node, string[] | null>();
  private readonly declKinds: Set<TS.SyntaxKind>;
  constructor(private readonly ts: Ts) {
    const k = ts.SyntaxKind;
    this.declKinds = new Set([
      k.FunctionDeclaration, k.ClassDeclaration, k.InterfaceDeclaration, k.TypeAliasDeclaration, k.EnumDeclaration,
      k.ModuleDeclaration, k.VariableDeclaration, k.MethodDeclaration, k.PropertyDeclaration, k.GetAccessor,
      k.SetAccessor, k.Constructor, k.PropertySignature, k.MethodSignature, k.EnumMember,
    ]);
  }

  private nameOf(n: TS.Node): string | undefined {
    const ts = this.ts;
    if (ts.isConstructorDeclaration(n)) return 'constructor';
    const name = (n as { name?: TS.Node }).name;
    if (!name) return ts.isClassDeclaration(n) || ts.isFunctionDeclaration(n) ? 'default' : undefined;
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
    return undefined;
  }

  /** The qualified name parts of an indexed declaration, or undefined for locals and parameters. */
  parts(n: TS.Node): string[] | undefined {
    if (!this.declKinds.has(n.kind)) return undefined;
    const hit = this.cache.get(n);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.compute(n);
    this.cache.set(n, r ?? null);
    return r;
  }

  private atTop(n: TS.Node): string[] | undefined {
    const ts = this.ts;
    const p = n.parent;
    if (ts.isSourceFile(p)) return [];
    if (ts.isModuleBlock(p)) return this.parts(p.parent);
    return undefined;
  }

  private compute(n: TS.Node): string[] | undefined {
    const ts = this.ts;
    const name = this.nameOf(n);
    if (name === undefined) return undefined;
    if (ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isEnumDeclaration(n) || ts.isModuleDeclaration(n)) {
      const up = this.atTop(n);
      return up && [...up, name];
    }
    if (ts.isVariableDeclaration(n)) {
      if (!ts.isIdentifier(n.name) || !ts.isVariableDeclarationList(n.parent) || !ts.isVariableStatement(n.parent.parent)) return undefined;
      const up = this.atTop(n.parent.parent);
      return up && [...up, name];
    }
    if (ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n) || ts.isConstructorDeclaration(n)) {
      if (!ts.isClassDeclaration(n.parent)) return undefined;
      const up = this.parts(n.parent);
      return up && [...up, name];
    }
    if (ts.isPropertySignature(n) || ts.isMethodSignature(n)) {
      const p = n.parent;
      if (ts.isInterfaceDeclaration(p)) { const up = this.parts(p); return up && [...up, name]; }
      if (ts.isTypeLiteralNode(p) && ts.isTypeAliasDeclaration(p.parent)) { const up = this.parts(p.parent); return up && [...up, name]; }
      return undefined;
    }
    if (ts.isEnumMember(n)) { const up = this.parts(n.parent); return up && [...up, name]; }
    return undefined;
  }

  kind(n: TS.Node): SymbolKind {
    const ts = this.ts;
    if (ts.isFunctionDeclaration(n)) return 'function';
    if (ts.isClassDeclaration(n)) return 'class';
    if (ts.isInterfaceDeclaration(n)) return 'interface';
    if (ts.isTypeAliasDeclaration(n)) return 'type';
    if (ts.isEnumDeclaration(n)) return 'enum';
    if (ts.isModuleDeclaration(n)) return 'namespace';
    if (ts.isVariableDeclaration(n)) return n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer)) ? 'function' : 'variable';
    if (ts.isMethodDeclaration(n) || ts.isMethodSignature(n)) return 'method';
    if (ts.isConstructorDeclaration(n)) return 'constructor';
    if (ts.isGetAccessor(n) || ts.isSetAccessor(n)) return 'accessor';
    if (ts.isEnumMember(n)) return 'enum-member';
    return 'property';
  }

  /** The node whose text and comments stand for the declaration (a variable's whole statement). */
  outer(n: TS.Node): TS.Node {
    return this.ts.isVariableDeclaration(n) ? n.parent.parent : n;
  }

  signature(n: TS.Node, sf: TS.SourceFile): string {
    const ts = this.ts;
    const o = this.outer(n);
    const start = o.getStart(sf);
    const text = sf.text;
    const body = (n as { body?: TS.Node }).body;
    if ((ts.isFunctionLike(n) && body) || (ts.isVariableDeclaration(n) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer)))) {
      const b = ts.isVariableDeclaration(n) ? (n.initializer as TS.ArrowFunction).body : body!;
      return oneLine(text.slice(start, b.getStart(sf)).replace(/=>\s*$/, '=>'), 300);
    }
    // Heads only: the members are symbols with signatures of their own.
    if (ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n)) return oneLine(text.slice(start, n.members.pos).replace(/\{\s*$/, ''), 300);
    if (ts.isVariableDeclaration(n)) return oneLine(text.slice(start, o.end), 200);
    if (ts.isModuleDeclaration(n)) return oneLine(text.slice(start, n.body ? n.body.getStart(sf) : n.end), 200);
    return oneLine(text.slice(start, o.end), 400);
  }

  /** Comments right above the declaration (no blank line between), markers stripped. */
  doc(n: TS.Node, sf: TS.SourceFile): string | undefined {
    const ts = this.ts;
    const o = this.outer(n);
    const text = sf.text;
    const ranges = ts.getLeadingCommentRanges(text, o.pos) ?? [];
    const keep: string[] = [];
    let next = o.getStart(sf);
    for (let i = ranges.length - 1; i >= 0; i--) {
      const r = ranges[i]!;
      if ((text.slice(r.end, next).match(/\n/g) ?? []).length > 1) break;
      if (o.pos === 0 && i === 0 && ranges.length > 0 && r.pos === 0 && !text.startsWith('/**')) break; // the file's header
      keep.unshift(cleanComment(text.slice(r.pos, r.end)));
      next = r.pos;
    }
    const d = keep.join('\n').trim();
    return d || undefined;
  }

  info(n: TS.Node, sf: TS.SourceFile, path: string, parts: string[]): Omit<SymbolInfo, 'exported'> {
    const nameNode = (n as { name?: TS.Node }).name ?? n;
    const pos = sf.getLineAndCharacterOfPosition(nameNode.getStart(sf));
    const o = this.outer(n);
    const end = sf.getLineAndCharacterOfPosition(o.end).line + 1;
    const doc = this.doc(n, sf);
    return {
      id: `${path}#${parts.join('.')}`, name: parts[parts.length - 1]!, qualifiedName: parts.join('.'), kind: this.kind(n),
      path, line: pos.line + 1, column: pos.character + 1, endLine: end, ...(doc ? { doc } : {}),
      signature: this.signature(n, sf), bodyHash: sha256(o.getText(sf)).slice(0, 16),
    };
  }
}

/** A comment's text without `//`, `/*`, `*` markers. */
export function cleanComment(c: string): string {
  if (c.startsWith('//')) return c.replace(/^\/\/\/?\s?/, '');
  return c.replace(/^\/\*\*?/, '').replace(/\*\/$/, '').split('\n').map((l) => l.replace(/^\s*\*\s?/, '')).join('\n').trim();
}
