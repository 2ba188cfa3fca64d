// Code-aware uses of the model, as library functions: how unusual each line is, which candidate edit reads
// most like this codebase, and what fits a masked span. They run the TypeScript forward pass.
import type { Scorer } from './scorer.js';
import { EOT, encode } from './tokenizer.js';

export interface LineScore {
  /** 1-based line number. */
  line: number;
  text: string;
  /** Bits per byte of the line (with its newline) given the text before it; higher is more unusual. */
  bitsPerByte: number;
}

/** Bits per byte of every line of `text` given the lines before it. */
export function lineSurprise(scorer: Scorer, text: string): LineScore[] {
  const tokens = [EOT, ...encode(text)];
  const { logp } = scorer.score(tokens);
  const lines = text.split('\n');
  const out: LineScore[] = [];
  let pos = 1;
  lines.forEach((line, i) => {
    const n = Buffer.byteLength(line) + (i < lines.length - 1 ? 1 : 0);
    if (n === 0) return;
    let nats = 0;
    for (let j = pos; j < pos + n; j++) nats -= logp[j]!;
    out.push({ line: i + 1, text: line, bitsPerByte: nats / Math.LN2 / n });
    pos += n;
  });
  return out;
}

export interface RankedCandidate {
  candidate: string;
  /** Total natural log-probability of the candidate after the prefix. */
  logProb: number;
  bitsPerByte: number;
}

/** Ranks candidate continuations of `prefix`, most likely (lowest bits per byte) first. */
export function rankCandidates(scorer: Scorer, prefix: string, candidates: string[]): RankedCandidate[] {
  return candidates
    .map((candidate) => {
      const { logp, bytes } = scorer.continuationLogProb(prefix, candidate);
      return { candidate, logProb: logp, bitsPerByte: bytes ? -logp / Math.LN2 / bytes : 0 };
    })
    .sort((a, b) => a.bitsPerByte - b.bitsPerByte);
}

export interface InfillResult {
  /** The chosen span. */
  text: string;
  /** All candidates scored (given or generated), best first. */
  ranked: RankedCandidate[];
}

/**
 * Fills the span between `prefix` and `suffix`. With candidates, ranks each by the probability of
 * candidate + the start of the suffix (so the span must also lead into what follows); without, proposes the
 * model's greedy line completion and the empty span, ranked the same way.
 */
export function infill(
  scorer: Scorer, prefix: string, suffix: string, opts: { candidates?: string[]; maxBytes?: number; suffixBytes?: number } = {},
): InfillResult {
  const lookahead = suffix.slice(0, opts.suffixBytes ?? 16);
  const candidates = opts.candidates ?? [...new Set([scorer.greedy(prefix, opts.maxBytes ?? 80).replace(/\n$/, ''), ''])];
  const ranked = candidates
    .map((candidate) => {
      const { logp } = scorer.continuationLogProb(prefix, candidate + lookahead);
      const bytes = Buffer.byteLength(candidate + lookahead);
      return { candidate, logProb: logp, bitsPerByte: bytes ? -logp / Math.LN2 / bytes : 0 };
    })
    .sort((a, b) => b.logProb - a.logProb);
  return { text: ranked[0]?.candidate ?? '', ranked };
}
