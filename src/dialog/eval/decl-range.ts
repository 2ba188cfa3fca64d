// Where a symbol's declaration begins and ends in a file, for the "inside" check of the question sets:
// computed from the file itself (TypeScript's parser for .ts, a brace walk for C), never from the code
// index whose answers are being judged.
import type * as TS from 'typescript';
import { createRequire } from 'node:module';

/** 1-based inclusive line range of one declaration (its doc comment included). */
export interface LineRange { from: number; to: number }

let ts: typeof TS | undefined;
/** The compiler API, required on first use (the CLI bundle keeps typescript external). */
function compiler(): typeof TS {
  ts ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return ts;
}

/**
 * Every range in `text` (the file at `path`) that declares `symbol`: a plain name matches a declaration
 * at any depth (function, class, interface, type, enum, variable, method, property, object-literal
 * member); `Outer.inner` matches `inner` declared inside a declaration named `Outer`.
 * @throws Error from `require` when typescript is not installed (only for TypeScript files)
 */
export function declarationRanges(path: string, text: string, symbol: string): LineRange[] {
  if (/\.[ch]$/.test(path)) return cRanges(text, symbol);
  if (!/\.[cm]?tsx?$/.test(path)) return [];
  const t = compiler();
  const sf = t.createSourceFile(path, text, t.ScriptTarget.ES2022, true);
  const parts = symbol.split('.');
  const name = parts.pop()!;
  const out: LineRange[] = [];
  const visit = (node: TS.Node): void => {
    if (declName(t, node) === name && parts.every((p) => hasNamedAncestor(t, node, p))) out.push(rangeOf(t, sf, node));
    t.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function declName(t: typeof TS, node: TS.Node): string | undefined {
  const named = t.isFunctionDeclaration(node) || t.isClassDeclaration(node) || t.isInterfaceDeclaration(node)
    || t.isTypeAliasDeclaration(node) || t.isEnumDeclaration(node) || t.isVariableDeclaration(node)
    || t.isMethodDeclaration(node) || t.isPropertyDeclaration(node) || t.isPropertyAssignment(node)
    || t.isMethodSignature(node) || t.isPropertySignature(node) || t.isGetAccessorDeclaration(node)
    || t.isSetAccessorDeclaration(node) || t.isModuleDeclaration(node);
  if (!named) return undefined;
  const n = (node as TS.NamedDeclaration).name;
  return n && (t.isIdentifier(n) || t.isStringLiteral(n)) ? n.text : undefined;
}

function hasNamedAncestor(t: typeof TS, node: TS.Node, name: string): boolean {
  for (let p = node.parent; p; p = p.parent) if (declName(t, p) === name) return true;
  return false;
}

function rangeOf(t: typeof TS, sf: TS.SourceFile, node: TS.Node): LineRange {
  // A variable's range is its whole statement (`export const x = ...`), with the statement's doc comment.
  const whole = t.isVariableDeclaration(node) && t.isVariableStatement(node.parent.parent) ? node.parent.parent : node;
  const line = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  return { from: line(whole.getStart(sf, true)), to: line(whole.getEnd()) };
}

/** C function definitions (and file-scope variables) named `symbol`: from the line that names it to its closing brace or `;`. */
function cRanges(text: string, symbol: string): LineRange[] {
  const lines = text.split('\n');
  const head = new RegExp(`^[A-Za-z_][\\w\\s*]*\\b${symbol.replace(/\W/g, '')}\\s*(\\(|\\[|=|;)`);
  const out: LineRange[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!head.test(lines[i]!) || /^\s/.test(lines[i]!)) continue;
    const end = cEnd(lines, i);
    if (end !== null) out.push({ from: i + 1, to: end + 1 });
  }
  return out;
}

/** The line where the definition starting at `start` ends (braces balanced, or the first `;` outside them); null for a prototype. */
function cEnd(lines: string[], start: number): number | null {
  let depth = 0;
  let opened = false;
  for (let i = start; i < lines.length; i++) {
    for (const ch of lines[i]!.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/\/.*$/g, '')) {
      if (ch === '{') { depth++; opened = true; }
      else if (ch === '}') depth--;
      else if (ch === ';' && depth === 0) return opened || !/\)\s*;/.test(lines[i]!) ? i : null;
      if (opened && depth === 0) return i;
    }
  }
  return null;
}
