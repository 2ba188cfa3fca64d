// The evaluator's build of a candidate for the benchmark stage: each changed TypeScript source under src/ is
// compiled to its dist/ module (transpileModule with the project's target and module kind), so the workload
// runs the candidate's code. The candidate never supplies dist/ itself: those files are refused.
import type * as TS from 'typescript';
import type { FileChange } from '../candidate.js';

const SOURCE = /^src\/(.+)\.ts$/;

/** The dist/ path a source compiles to, or null for files that are not compiled sources. */
export function distPathOf(path: string): string | null {
  const m = SOURCE.exec(path);
  return m && !path.endsWith('.d.ts') ? `dist/${m[1]}.js` : null;
}

/** The candidate's changes plus the compiled module of each changed source (null `after` deletes it too). */
export function compileChanges(ts: typeof TS, changes: readonly FileChange[]): FileChange[] {
  const out: FileChange[] = [...changes];
  for (const c of changes) {
    const dist = distPathOf(c.path);
    if (!dist) continue;
    const js = c.after === null ? null : ts.transpileModule(c.after, {
      fileName: c.path,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, sourceMap: false },
    }).outputText;
    out.push({ path: dist, before: null, after: js });
  }
  return out;
}
