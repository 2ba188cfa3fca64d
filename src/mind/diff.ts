// The difference between two generations' indexes: files by content hash, symbols by id with what changed.
import type { GenerationDiff, IndexData, SymbolChange, SymbolInfo } from './types.js';

const symbolsOf = (d: IndexData): Map<string, SymbolInfo> => {
  const m = new Map<string, SymbolInfo>();
  for (const f of Object.values(d.files)) for (const s of f.symbols) m.set(s.id, s);
  return m;
};

/** What changed from generation `a` (older) to `b` (newer). Paths and lines cite the side a thing exists on. */
export function diffGenerations(a: IndexData, b: IndexData): GenerationDiff {
  const fa = a.files, fb = b.files;
  const files = {
    added: Object.keys(fb).filter((p) => !fa[p]).sort(),
    removed: Object.keys(fa).filter((p) => !fb[p]).sort(),
    changed: Object.keys(fb).filter((p) => fa[p] && fa[p]!.hash !== fb[p]!.hash).sort(),
  };
  const sa = symbolsOf(a), sb = symbolsOf(b);
  const changed: SymbolChange[] = [];
  for (const [id, after] of sb) {
    const before = sa.get(id);
    if (!before) continue;
    const what: SymbolChange['what'] = [];
    if (before.signature !== after.signature) what.push('signature');
    if (before.bodyHash !== after.bodyHash) what.push('body');
    if ((before.doc ?? '') !== (after.doc ?? '')) what.push('doc');
    if (before.kind !== after.kind) what.push('kind');
    if (before.exported !== after.exported) what.push('exported');
    if (what.length) changed.push({ before, after, what });
  }
  const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  return {
    files,
    symbols: {
      added: [...sb.values()].filter((s) => !sa.has(s.id)).sort(byId),
      removed: [...sa.values()].filter((s) => !sb.has(s.id)).sort(byId),
      changed: changed.sort((x, y) => byId(x.after, y.after)),
    },
  };
}
