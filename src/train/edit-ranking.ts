// "Ranking candidate edits", measured: take real lines of held-out files, make three small corruptions of
// each (two neighbouring bytes swapped, one byte deleted, one byte duplicated), and count how often a
// predictor gives the real line the highest probability after the text before it.
import type { CorpusFile } from './corpus.js';
import type { KneserNey } from './ngram.js';
import { Rng } from './rng.js';
import type { Scorer } from './scorer.js';
import { EOT, encode } from './tokenizer.js';

export interface EditRankingReport {
  lines: number;
  /** Fraction of lines where the real line scored above all three corruptions. */
  model: number;
  ngram: number;
}

function corruptions(line: string, rng: Rng): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < 3 && tries < 20; tries++) {
    const i = 1 + rng.int(line.length - 2);
    const kind = out.size;
    const c = kind === 0 ? line.slice(0, i) + line[i + 1] + line[i] + line.slice(i + 2)
      : kind === 1 ? line.slice(0, i) + line.slice(i + 1)
        : line.slice(0, i) + line[i] + line.slice(i);
    if (c !== line) out.add(c);
  }
  return [...out];
}

function ngramLogProb(ngram: KneserNey, prefix: string, text: string): number {
  const ids = [EOT, ...encode(prefix)];
  let lp = 0;
  for (const t of encode(text)) {
    lp += Math.log(ngram.prob(ids.slice(-(ngram.order - 1)), t));
    ids.push(t);
  }
  return lp;
}

/** Edit-ranking accuracy on up to `maxLines` sampled held-out lines (seeded, so runs compare). */
export function editRanking(scorer: Scorer, ngram: KneserNey, heldOut: CorpusFile[], maxLines = 100, seed = 7): EditRankingReport {
  const rng = new Rng(seed);
  const picks: { prefix: string; line: string }[] = [];
  for (const f of heldOut) {
    const lines = f.text.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim().length >= 8 && /^[\x20-\x7e]+$/.test(line)) picks.push({ prefix: lines.slice(Math.max(0, i - 6), i).join('\n') + '\n', line });
    }
  }
  const chosen: typeof picks = [];
  while (chosen.length < maxLines && picks.length) chosen.push(picks.splice(rng.int(picks.length), 1)[0]!);
  let model = 0, gram = 0;
  for (const { prefix, line } of chosen) {
    const alts = corruptions(line, rng);
    const real = scorer.continuationLogProb(prefix, `${line}\n`).logp;
    if (alts.every((a) => scorer.continuationLogProb(prefix, `${a}\n`).logp < real)) model++;
    const realG = ngramLogProb(ngram, prefix, `${line}\n`);
    if (alts.every((a) => ngramLogProb(ngram, prefix, `${a}\n`) < realG)) gram++;
  }
  const n = Math.max(1, chosen.length);
  return { lines: chosen.length, model: model / n, ngram: gram / n };
}
