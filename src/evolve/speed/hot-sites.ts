// Suspects for a benchmark target: the lines of the benchmark's hot functions, so the AST proposers (mutation,
// template, copy, identifier), which edit around suspects, work where the workload spends its time. Every line
// inside a function body of the hot files counts, bodies with more statements (loops, the real work) first.
import type * as TS from 'typescript';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Suspect } from '../types.js';

type FunctionLike = TS.FunctionDeclaration | TS.MethodDeclaration | TS.ArrowFunction | TS.FunctionExpression;

function bodiesOf(ts: typeof TS, sf: TS.SourceFile): FunctionLike[] {
  const out: FunctionLike[] = [];
  const visit = (n: TS.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.body) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * The lines of every function body in `files` (paths relative to `root`), as suspects: score 1 for the largest
 * body's lines, less for smaller ones, in file order within a score. A line is listed once.
 * @throws Error from readFileSync when a hot file is missing (a benchmark naming a file the tree lacks)
 */
export function hotSuspects(ts: typeof TS, root: string, files: readonly string[]): Suspect[] {
  const out: Suspect[] = [];
  const seen = new Set<string>();
  for (const path of files) {
    const text = readFileSync(join(root, path), 'utf8');
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    const bodies = bodiesOf(ts, sf).map((f) => ({
      from: sf.getLineAndCharacterOfPosition(f.body!.getStart(sf)).line + 1,
      to: sf.getLineAndCharacterOfPosition(f.body!.getEnd()).line + 1,
    }));
    const largest = Math.max(1, ...bodies.map((b) => b.to - b.from + 1));
    for (const b of bodies) {
      for (let line = b.from; line <= b.to; line++) {
        const key = `${path}:${line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ path, line, score: (b.to - b.from + 1) / largest });
      }
    }
  }
  return out.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}
