// Which candidate the next proposals start from: the accepted candidate with the best score, where the
// score is its fitness plus its lineage's productivity (children accepted / children tried, smoothed), so
// a lineage whose children keep failing yields to one that keeps producing. No accepted one: the base tree.
// A candidate whose promoted generation fell back (rolled back) is never a parent, nor are its descendants.
import type { IndexEntry } from '../archive/records.js';

type Entry = Extract<IndexEntry, { t: 'candidate' }>;

/** (accepted + 1) / (tried + 2): an untried parent starts at 1/2. */
export function productivity(id: string, entries: readonly Entry[]): number {
  const kids = entries.filter((e) => e.parent === id);
  return (kids.filter((e) => e.decision === 'accepted').length + 1) / (kids.length + 2);
}

/** `roots` and every candidate that descends from one (a child composes its parent's changes). */
function withDescendants(entries: readonly Entry[], roots: ReadonlySet<string>): Set<string> {
  const out = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const e of entries) if (!out.has(e.id) && out.has(e.parent)) { out.add(e.id); grew = true; }
  }
  return out;
}

/**
 * The id of the parent for the next round, or null for the base tree; `excluded` (rolled-back candidates)
 * and their descendants are never chosen.
 */
export function chooseParent(entries: readonly Entry[], excluded: ReadonlySet<string> = new Set()): string | null {
  const out = excluded.size ? withDescendants(entries, excluded) : excluded;
  let best: { id: string; score: number } | null = null;
  for (const e of entries) {
    if (e.decision !== 'accepted' || !Number.isFinite(e.fitness) || out.has(e.id)) continue;
    const score = e.fitness + productivity(e.id, entries);
    if (!best || score > best.score) best = { id: e.id, score };
  }
  return best?.id ?? null;
}
