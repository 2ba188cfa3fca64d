// Finding symbols by name: exact id, qualified name or name first; then case-insensitive; then sub-word
// matches (`bootCount` or "boot count" finds `parseBootCountName`), best first.
import { splitIdentifier } from './tokens.js';
import type { SymbolInfo } from './types.js';

const KIND_RANK: Record<SymbolInfo['kind'], number> = {
  class: 0, function: 0, interface: 1, type: 1, enum: 1, namespace: 1, variable: 2, method: 2, constructor: 3,
  accessor: 3, property: 4, 'enum-member': 4,
};

/** Exported before internal, declarations before members, then test files last, then path. */
export function rankSymbols(a: SymbolInfo, b: SymbolInfo): number {
  const test = (s: SymbolInfo) => (/\.test\.ts$|fixtures\//.test(s.path) ? 1 : 0);
  return test(a) - test(b) || Number(b.exported) - Number(a.exported) || KIND_RANK[a.kind] - KIND_RANK[b.kind]
    || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line);
}

// Sub-words of each qualified name, split once per process (fuzzy lookups scan every symbol).
const wordsOf = new Map<string, string[]>();
const subWords = (qualified: string): string[] => {
  let w = wordsOf.get(qualified);
  if (!w) {
    w = splitIdentifier(qualified.replace(/\./g, ' '));
    if (wordsOf.size > 100_000) wordsOf.clear();
    wordsOf.set(qualified, w);
  }
  return w;
};

/** Symbols matching `query`; exact matches when there are any, otherwise up to `limit` fuzzy ones. */
export function findDefinitions(all: SymbolInfo[], query: string, limit = 10): SymbolInfo[] {
  const q = query.trim().replace(/\(\)$/, '');
  if (!q) return [];
  if (q.includes('#')) return all.filter((s) => s.id === q);
  const exact = all.filter((s) => s.qualifiedName === q || s.name === q);
  // `Store.listDir` wins over a bare `listDir` elsewhere; a bare name means every symbol so named.
  const qualified = exact.filter((s) => s.qualifiedName === q);
  if (qualified.length && q.includes('.')) return qualified.sort(rankSymbols);
  if (exact.length) return exact.sort(rankSymbols);
  const lower = q.toLowerCase();
  const ci = all.filter((s) => s.qualifiedName.toLowerCase() === lower || s.name.toLowerCase() === lower);
  if (ci.length) return ci.sort(rankSymbols);
  const words = q.split(/[\s.]+/).flatMap(splitIdentifier);
  if (!words.length) return [];
  const scored: Array<[SymbolInfo, number]> = [];
  for (const s of all) {
    const sw = subWords(s.qualifiedName);
    const hit = words.every((w) => sw.some((x) => x.startsWith(w)));
    if (hit) scored.push([s, sw.length - words.length]);
    else if (lower.length >= 3 && s.name.toLowerCase().includes(lower)) scored.push([s, 10 + s.name.length - lower.length]);
  }
  return scored.sort((a, b) => a[1] - b[1] || rankSymbols(a[0], b[0])).slice(0, limit).map(([s]) => s);
}
