// Which test files exercise a symbol: those that reference it (direct), then those whose import graph
// reaches its module (imports), nearest first, with the chain of imports that links them.
import type { FileRecord, TestCoverage, TestKind } from './types.js';

/** The kind of a test file by its name, or undefined for a file that is not a test. */
export function testKind(path: string): TestKind | undefined {
  if (path.endsWith('.vmlong.test.ts')) return 'vmlong';
  if (path.endsWith('.vm.test.ts')) return 'vm';
  if (path.endsWith('.host.test.ts')) return 'host';
  if (path.endsWith('.test.ts')) return 'unit';
  return undefined;
}

/** Test coverage of a set of symbol ids declared in `path`. */
export function testsCovering(files: Record<string, FileRecord>, importers: Map<string, Array<{ path: string; line: number }>>, path: string, ids: Set<string>): TestCoverage[] {
  const out: TestCoverage[] = [];
  const direct = new Set<string>();
  for (const f of Object.values(files)) {
    const kind = testKind(f.path);
    if (!kind) continue;
    const ref = f.references.find((r) => ids.has(r.symbol));
    if (ref) { out.push({ path: f.path, kind, via: 'direct', line: ref.line }); direct.add(f.path); }
  }
  // Breadth-first over importers: the first time a test file is reached is along a shortest chain.
  const next = new Map<string, { via: string; line: number }>([[path, { via: '', line: 0 }]]);
  let frontier = [path];
  while (frontier.length) {
    const upcoming: string[] = [];
    for (const p of frontier) {
      for (const imp of importers.get(p) ?? []) {
        if (next.has(imp.path)) continue;
        next.set(imp.path, { via: p, line: imp.line });
        upcoming.push(imp.path);
        const kind = testKind(imp.path);
        if (!kind || direct.has(imp.path)) continue;
        const chain = [imp.path];
        for (let c = p; c; c = next.get(c)!.via) chain.push(c);
        out.push({ path: imp.path, kind, via: 'imports', line: imp.line, chain });
      }
    }
    frontier = upcoming.sort();
  }
  return out;
}
