// BM25 over the index's chunks (Okapi BM25, k1 = 1.2, b = 0.75), built in memory from the stored terms.
import { tokenize } from './tokens.js';
import type { Chunk, FileRecord } from './types.js';

const K1 = 1.2;
const B = 0.75;

export interface Scored { chunk: Chunk; path: string; score: number }

export class Bm25 {
  private readonly docs: Array<{ chunk: Chunk; path: string; len: number }> = [];
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly avgLen: number;

  constructor(files: Iterable<FileRecord>) {
    let total = 0;
    for (const f of files) {
      for (const chunk of f.chunks) {
        const i = this.docs.length;
        let len = 0;
        for (const [t, n] of Object.entries(chunk.terms)) {
          len += n;
          let p = this.postings.get(t);
          if (!p) this.postings.set(t, (p = []));
          p.push([i, n]);
        }
        this.docs.push({ chunk, path: f.path, len });
        total += len;
      }
    }
    this.avgLen = this.docs.length ? total / this.docs.length : 1;
  }

  get size(): number { return this.docs.length; }

  /** The best `k` chunks for a query, highest score first (ties by path and line, for stable output). */
  search(query: string, k: number, keep: (c: Chunk) => boolean = () => true): Scored[] {
    const terms = [...new Set(tokenize(query))];
    const scores = new Map<number, number>();
    const n = this.docs.length;
    for (const t of terms) {
      const p = this.postings.get(t);
      if (!p) continue;
      const idf = Math.log(1 + (n - p.length + 0.5) / (p.length + 0.5));
      for (const [i, tf] of p) {
        const d = this.docs[i]!;
        scores.set(i, (scores.get(i) ?? 0) + idf * (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.len) / this.avgLen)));
      }
    }
    return [...scores]
      .filter(([i]) => keep(this.docs[i]!.chunk))
      .map(([i, score]) => ({ chunk: this.docs[i]!.chunk, path: this.docs[i]!.path, score }))
      .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.chunk.line - b.chunk.line))
      .slice(0, k);
  }
}
