// The stable face of edit ranking for the OS (the self-improvement loop, `dialogos model rank`): which of
// several candidate texts for one place in a file reads most like this codebase to dialogos-mini.
import type { Scorer } from './scorer.js';
import { infill, rankCandidates } from './scoring.js';

export interface EditRankingInput {
  /** The text before the span the candidates fill (the model sees at most its context of it). */
  before: string;
  /**
   * The text after the span. Given, candidates are replacements ranked by the probability of candidate +
   * the first `lookahead` bytes of it (a candidate must also lead into what follows); absent, they are
   * continuations ranked by bits per byte.
   */
  after?: string;
  candidates: string[];
  /** Bytes of `after` that take part (default 16). */
  lookahead?: number;
}

export interface RankedEdit {
  /** Position of the candidate in the input. */
  index: number;
  candidate: string;
  /** Natural log-probability (of candidate + lookahead when `after` is given). */
  logProb: number;
  bitsPerByte: number;
}

/**
 * Ranks candidate edits, most likely first (rankCandidates without `after`, infill with it).
 * @example rankEdits(loadScorer(file).scorer, { before: 'const total = ', after: ';\n', candidates: ['price * count', 'banana'] })[0].index // 0
 * @throws RangeError when there are no candidates
 */
export function rankEdits(scorer: Scorer, o: EditRankingInput): RankedEdit[] {
  if (o.candidates.length === 0) throw new RangeError('Cannot rank edits: no candidates given');
  const ranked = o.after === undefined
    ? rankCandidates(scorer, o.before, o.candidates)
    : infill(scorer, o.before, o.after, { candidates: o.candidates, suffixBytes: o.lookahead ?? 16 }).ranked;
  // Equal candidates get distinct positions, in input order.
  const used = new Set<number>();
  return ranked.map((r) => {
    let index = o.candidates.findIndex((c, i) => c === r.candidate && !used.has(i));
    if (index < 0) index = o.candidates.indexOf(r.candidate);
    used.add(index);
    return { index, candidate: r.candidate, logProb: r.logProb, bitsPerByte: r.bitsPerByte };
  });
}
