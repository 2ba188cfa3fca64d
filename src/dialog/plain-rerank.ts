// The embedding re-ranker for plain questions, used when a model offers embeddings: the BM25 candidates
// and the question are embedded, and the two orders are fused by reciprocal rank (as src/mind's hybrid
// search does), so the words still count and the meaning breaks their ties.
import type { Ranked } from './plain-index.js';

/** How many of BM25's best candidates the embeddings see. */
export const RERANK_POOL = 20;
const RRF_K = 60;

/** Embeds texts; null when no model offers embeddings. */
export type EmbedFn = (texts: string[]) => Promise<number[][] | null>;

const cosine = (a: number[], b: number[]): number => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i]! * (b[i] ?? 0); na += a[i]! ** 2; nb += (b[i] ?? 0) ** 2; }
  return d / (Math.sqrt(na * nb) || 1);
};

const textOf = (r: Ranked): string => {
  const e = r.entry;
  return [`${e.kind} ${e.qualifiedName ?? e.name} (${e.path})`, e.signature ?? '', e.doc ?? '', e.body.slice(0, 1500)].filter(Boolean).join('\n');
};

/**
 * The candidates in fused order (the pool's tail after them, unchanged), or the input when `embed` has
 * no model. Scores are kept: confidence is judged on the words, not on the vectors.
 */
export async function rerank(question: string, ranked: Ranked[], embed: EmbedFn): Promise<Ranked[]> {
  const pool = ranked.slice(0, RERANK_POOL);
  if (pool.length < 2) return ranked;
  const vs = await embed([question, ...pool.map(textOf)]);
  if (!vs) return ranked;
  const [q, ...cands] = vs;
  const dense = pool.map((r, i) => ({ r, s: cosine(q!, cands[i] ?? []) })).sort((a, b) => b.s - a.s).map((x) => x.r);
  const denseRank = new Map(dense.map((r, i) => [r, i]));
  const fused = pool.map((r, i) => ({ r, s: 1 / (RRF_K + i) + 1 / (RRF_K + denseRank.get(r)!) }));
  // Ties (one list's rank i+1 against the other's i) go to the embedding: it saw the meaning.
  fused.sort((a, b) => b.s - a.s || denseRank.get(a.r)! - denseRank.get(b.r)!);
  return [...fused.map((x) => x.r), ...ranked.slice(RERANK_POOL)];
}
