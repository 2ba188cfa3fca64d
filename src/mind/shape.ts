// A file's shape: its text without the bodies that no other file can observe. The body of a function,
// method or accessor with a declared return type (and of any constructor or setter) does not change any
// type, name or declaration another module resolves against; so an edit that keeps the shape re-analyses
// the edited file alone instead of every module that imports it.
import type * as TS from 'typescript';
import type { Ts } from './program.js';
import { sha256 } from './walk.js';

function opaqueBody(ts: Ts, n: TS.Node): TS.Node | undefined {
  if (!ts.isFunctionLike(n)) return undefined;
  const body = (n as { body?: TS.Node }).body;
  if (!body) return undefined;
  if (ts.isConstructorDeclaration(n) || ts.isSetAccessorDeclaration(n)) return body;
  // Without a declared return type the body decides the type (inference), so it is part of the shape.
  return (n as TS.SignatureDeclarationBase).type ? body : undefined;
}

/** sha256 of the file's shape (see above). */
export function shapeHash(ts: Ts, sf: TS.SourceFile): string {
  const text = sf.text;
  const parts: string[] = [];
  let at = 0;
  const visit = (n: TS.Node): void => {
    const body = opaqueBody(ts, n);
    if (body) {
      parts.push(text.slice(at, body.getStart(sf)), '{}');
      at = body.end;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  parts.push(text.slice(at));
  return sha256(parts.join(''));
}
