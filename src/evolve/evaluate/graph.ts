// The import graph of a tree's TypeScript sources (as the candidate's view has them) and the tests it picks
// for a change: direct tests (a.test.ts beside a.ts, and test files importing a changed file) and the tests
// that reach a changed file only through other imports. Found with the compiler's pre-processor, not regexes.
import type * as TS from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { FileChange } from '../candidate.js';

export interface ImportGraph {
  /** Every .ts file of the source folder in the view, relative to the root (src/x/y.ts). */
  files: Set<string>;
  /** file → files it imports (relative specifiers that resolve inside the graph). */
  imports: Map<string, Set<string>>;
  /** file → files that import it. */
  importers: Map<string, Set<string>>;
}

/** Unit test files: *.test.ts that are not VM tests. */
export const isUnitTest = (p: string): boolean => p.endsWith('.test.ts') && !/\.(vm|vmlong)\.test\.ts$/.test(p);

function listTs(root: string, dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(posix.join(root, dir))) {
    const rel = posix.join(dir, name);
    if (statSync(posix.join(root, rel)).isDirectory()) listTs(root, rel, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function resolveSpec(from: string, spec: string, files: Set<string>): string | null {
  if (!spec.startsWith('.')) return null;
  const p = posix.normalize(posix.join(posix.dirname(from), spec));
  for (const c of [p.replace(/\.js$/, '.ts'), p, `${p}.ts`, `${p}/index.ts`]) if (files.has(c)) return c;
  return null;
}

/**
 * The import graph of `srcDir` under `root` with `changes` applied (added, edited and deleted files).
 * `specs` caches the parent files' import specifiers between calls (the parent tree is never written).
 */
export function importGraph(ts: typeof TS, root: string, changes: readonly FileChange[], specs = new Map<string, string[]>(), srcDir = 'src'): ImportGraph {
  const overlay = new Map(changes.filter((c) => c.path.endsWith('.ts')).map((c) => [c.path, c.after]));
  // Deleted files stay nodes (with no imports of their own) so that their importers are still found.
  const known = new Set(listTs(root, srcDir));
  for (const [p, after] of overlay) if (after !== null && p.startsWith(`${srcDir}/`)) known.add(p);
  const files = new Set([...known].filter((f) => overlay.get(f) !== null));
  const imports = new Map<string, Set<string>>();
  const importers = new Map<string, Set<string>>([...known].map((f) => [f, new Set<string>()]));
  for (const f of files) {
    const specsOf = (text: string) => ts.preProcessFile(text, true, true).importedFiles.map((r) => r.fileName);
    const changed = overlay.get(f);
    let fileSpecs = changed != null ? specsOf(changed) : specs.get(f);
    if (!fileSpecs) specs.set(f, (fileSpecs = specsOf(readFileSync(posix.join(root, f), 'utf8'))));
    const targets = new Set<string>();
    for (const spec of fileSpecs) {
      const t = resolveSpec(f, spec, known);
      if (t && t !== f) targets.add(t);
    }
    imports.set(f, targets);
    for (const t of targets) importers.get(t)!.add(f);
  }
  return { files, imports, importers };
}

export interface TestSelection {
  /** a.test.ts beside a changed a.ts, and unit test files that import a changed file. */
  direct: string[];
  /** Unit test files that reach a changed file only through other files. */
  reached: string[];
}

/** The unit tests a change to `changed` (source paths) can affect, split by how they reach it. */
export function selectTests(g: ImportGraph, changed: readonly string[]): TestSelection {
  const direct = new Set<string>();
  for (const f of changed) {
    const beside = f.replace(/\.ts$/, '.test.ts');
    if (g.files.has(beside) && isUnitTest(beside)) direct.add(beside);
    for (const i of g.importers.get(f) ?? []) if (isUnitTest(i)) direct.add(i);
  }
  const seen = new Set(changed);
  const queue = [...changed];
  while (queue.length > 0) {
    for (const i of g.importers.get(queue.shift()!) ?? []) if (!seen.has(i)) { seen.add(i); queue.push(i); }
  }
  const reached = [...seen].filter((f) => isUnitTest(f) && !direct.has(f) && !changed.includes(f));
  return { direct: [...direct].sort(), reached: reached.sort() };
}

/** Files that import any of `changed` directly (they must still typecheck). */
export function directImporters(g: ImportGraph, changed: readonly string[]): string[] {
  return [...new Set(changed.flatMap((f) => [...(g.importers.get(f) ?? [])]))].sort();
}
