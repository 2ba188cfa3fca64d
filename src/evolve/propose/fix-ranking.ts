// Measures a span scorer as a fix ranker: for each seeded defect, every first-order candidate at its line
// (or in its whole function) is ranked by naturalness; how often is the defect's unique fix first, against
// the chance of a random order? The "fix ranking on seeded defects" figure, as a library function.
import type * as TS from 'typescript';
import type { FileChange } from '../candidate.js';
import { applyEdit, parseFile, parses, type Ts } from './edit.js';
import { MUTATION_OPERATORS, type Operator } from './operators.js';
import { naturalness, type SpanScorer } from './rank.js';
import { mutationSites } from './sites.js';

/** What fixRanking needs of a seeded defect (src/evolve/defects' Defect has it). */
export interface RankableDefect { file: string; line: number; change: FileChange; fix: FileChange }

export interface FixRankingReport {
  defects: number;
  /** Defects whose fix is among the candidates (one operator away). */
  reachable: number;
  /** Mean candidates per reachable defect. */
  candidates: number;
  /** Fraction of reachable defects whose fix ranked first, and the expected fraction in random order. */
  top1: number;
  random: number;
  /** Per reachable defect: was the fix first (for paired tests such as McNemar's). */
  hits: boolean[];
}

function functionLines(ts: Ts, sf: TS.SourceFile, line: number): Set<number> {
  let span: [number, number] = [line, line];
  const visit = (n: TS.Node): void => {
    const a = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, b = sf.getLineAndCharacterOfPosition(n.end).line + 1;
    if (a > line || line > b) return;
    if (ts.isFunctionLike(n)) span = [a, b];
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return new Set(Array.from({ length: span[1] - span[0] + 1 }, (_, i) => span[0] + i));
}

/** Ranks candidates for each defect; `scope` 'line' (default) or 'function'. */
export function fixRanking(ts: Ts, spans: SpanScorer, defects: RankableDefect[], o: { scope?: 'line' | 'function'; operators?: Record<string, Operator> } = {}): FixRankingReport {
  const hits: boolean[] = [];
  let candidates = 0, chance = 0;
  for (const d of defects) {
    const buggy = d.change.after!;
    const lines = o.scope === 'function' ? functionLines(ts, parseFile(ts, d.file, buggy), d.line) : new Set([d.line]);
    const scored = new Map<string, number>();
    for (const s of mutationSites(ts, d.file, buggy, o.operators ?? MUTATION_OPERATORS, lines)) {
      const after = applyEdit(buggy, s.edit);
      if (scored.has(after) || !parses(ts, d.file, after)) continue;
      scored.set(after, naturalness(spans, { changes: [{ path: d.file, before: buggy, after }], description: '', provenance: { proposer: 'fix-ranking', operator: s.operator }, prior: 0 }));
    }
    if (!scored.has(d.fix.after!)) continue;
    candidates += scored.size;
    chance += 1 / scored.size;
    const best = [...scored].reduce((a, b) => (b[1] > a[1] ? b : a));
    hits.push(best[0] === d.fix.after);
  }
  const n = Math.max(1, hits.length);
  return { defects: defects.length, reachable: hits.length, candidates: candidates / n, top1: hits.filter(Boolean).length / n, random: chance / n, hits };
}
