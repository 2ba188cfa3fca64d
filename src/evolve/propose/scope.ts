// Syntax-only views of scope used by the templates and the statement copier: the enclosing function, the
// names declared around a node, the statements at a line, and the free identifiers of a piece of code.
import type * as TS from 'typescript';
import type { Ts } from './edit.js';

/** Names code may use anywhere without declaring them (the ones a copied statement may mention). */
export const GLOBAL_NAMES = new Set(['undefined', 'NaN', 'Infinity', 'Math', 'JSON', 'Object', 'Array', 'String', 'Number', 'Boolean', 'BigInt', 'Symbol',
  'Promise', 'Error', 'TypeError', 'RangeError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Buffer', 'Uint8Array', 'Float64Array', 'Float32Array', 'Int32Array',
  'Uint32Array', 'console', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'encodeURIComponent', 'decodeURIComponent', 'parseInt', 'parseFloat', 'isNaN', 'URL', 'TextEncoder', 'TextDecoder']);

export function enclosingFunction(ts: Ts, node: TS.Node): TS.SignatureDeclaration | undefined {
  for (let p: TS.Node | undefined = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

function bindingNames(ts: Ts, name: TS.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(ts, el.name, out);
}

/** Names declared directly in a container (not inside nested functions). */
function declaredIn(ts: Ts, container: TS.Node, out: Set<string>): void {
  const visit = (n: TS.Node): void => {
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) bindingNames(ts, n.name, out);
    else if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isEnumDeclaration(n)) && n.name) out.add(n.name.text);
    else if (ts.isImportSpecifier(n) || ts.isNamespaceImport(n)) out.add(n.name.text);
    else if (ts.isImportClause(n) && n.name) out.add(n.name.text);
    if (n !== container && ts.isFunctionLike(n)) {
      if (ts.isFunctionDeclaration(n) && n.name) out.add(n.name.text);
      return;
    }
    ts.forEachChild(n, visit);
  };
  if (ts.isFunctionLike(container)) for (const p of container.parameters) bindingNames(ts, p.name, out);
  ts.forEachChild(container, visit);
}

/** Names visible at `node`: its enclosing functions' declarations, the file's, and the globals. */
export function namesInScope(ts: Ts, node: TS.Node, sf: TS.SourceFile): Set<string> {
  const out = new Set(GLOBAL_NAMES);
  for (let p: TS.Node | undefined = node.parent; p; p = p.parent) if (ts.isFunctionLike(p) || p === sf) declaredIn(ts, p, out);
  return out;
}

/** Locals of the function enclosing `node` (parameters and variables), in declaration order. */
export function functionLocals(ts: Ts, node: TS.Node): string[] {
  const fn = enclosingFunction(ts, node);
  const out = new Set<string>();
  if (fn) declaredIn(ts, fn, out);
  return [...out];
}

/** Identifiers a piece of code reads from its surroundings (property names and its own declarations aside). */
export function freeIdentifiers(ts: Ts, node: TS.Node): Set<string> {
  const used = new Set<string>();
  const own = new Set<string>();
  declaredIn(ts, node, own);
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n) || ts.isTypeReferenceNode(p)
        || (ts.isQualifiedName(p) && p.right === n) || ((p as { name?: TS.Node }).name === n && !ts.isShorthandPropertyAssignment(p));
      if (!isName && !own.has(n.text)) used.add(n.text);
    }
    if (ts.isTypeNode(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return used;
}

/** Statements whose first line is `line` (innermost last). */
export function statementsAt(ts: Ts, sf: TS.SourceFile, line: number): TS.Statement[] {
  const out: TS.Statement[] = [];
  const visit = (n: TS.Node): void => {
    if (isStatementInList(ts, n) && sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1 === line) out.push(n as TS.Statement);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** A statement that sits in a statement list (block, file, case), so one may be inserted beside it. */
export function isStatementInList(ts: Ts, n: TS.Node): boolean {
  const p = n.parent;
  if (!p || !(ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p))) return false;
  return !ts.isFunctionDeclaration(n) && !ts.isClassDeclaration(n) && !ts.isImportDeclaration(n) && !ts.isInterfaceDeclaration(n) && !ts.isTypeAliasDeclaration(n) && ts.isStatement(n);
}

/** Nodes that start on `line` (1-based), in source order. */
export function nodesOnLine(ts: Ts, sf: TS.SourceFile, line: number): TS.Node[] {
  const out: TS.Node[] = [];
  const visit = (n: TS.Node): void => {
    const a = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const b = sf.getLineAndCharacterOfPosition(n.end).line + 1;
    if (a <= line && line <= b) {
      if (a === line || b === line) out.push(n);
      ts.forEachChild(n, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return out;
}

/** Indentation of the line a node starts on. */
export function indentOf(sf: TS.SourceFile, node: TS.Node): string {
  const text = sf.text;
  const start = node.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, start))![0];
}
