// Held-out evaluation of a model against the n-gram baseline: bits per byte, next-token top-1 accuracy and
// next-line exact match on files neither saw in training. Greedy decoding of a line reproduces it exactly
// iff every byte of it (and its newline) is the top-1 prediction given the true bytes before it, so exact
// match is computed from one teacher-forced pass instead of a decode per line.
import type { CorpusFile } from './corpus.js';
import type { KneserNey } from './ngram.js';
import type { Scorer, TokenScores } from './scorer.js';
import { editRanking, type EditRankingReport } from './edit-ranking.js';
import { EOT } from './tokenizer.js';

/** Metrics of one predictor on the evaluated bytes. */
export interface Metrics {
  bitsPerByte: number;
  top1: number;
  nextLineExact: number;
}

export interface EvalReport {
  files: number;
  bytes: number;
  lines: number;
  model: Metrics;
  ngram: Metrics;
  ngramOrder: number;
  /** Real line vs three one-byte corruptions: how often each predictor prefers the real one. */
  editRanking: EditRankingReport;
  seconds: number;
}

function ngramScores(ngram: KneserNey, tokens: number[]): TokenScores {
  const logp = new Float64Array(tokens.length);
  const hit = new Uint8Array(tokens.length);
  for (let i = 1; i < tokens.length; i++) {
    const hist = tokens.slice(Math.max(0, i - ngram.order + 1), i);
    const d = ngram.dist(hist);
    logp[i] = Math.log(d[tokens[i]!]!);
    let best = 0;
    for (let v = 1; v < 256; v++) if (d[v]! > d[best]!) best = v;
    hit[i] = best === tokens[i] ? 1 : 0;
  }
  return { logp, hit };
}

class Tally {
  nats = 0; bytes = 0; hits = 0; linesExact = 0; lines = 0;
  add(tokens: number[], s: TokenScores): void {
    let lineOk = true, lineHasText = false;
    for (let i = 1; i < tokens.length; i++) {
      this.nats -= s.logp[i]!;
      this.bytes++;
      this.hits += s.hit[i]!;
      lineOk &&= s.hit[i] === 1;
      if (tokens[i] !== 0x20 && tokens[i] !== 0x09 && tokens[i] !== 0x0a) lineHasText = true;
      if (tokens[i] === 0x0a) {
        if (lineHasText) { this.lines++; if (lineOk) this.linesExact++; }
        lineOk = true; lineHasText = false;
      }
    }
  }
  metrics(): Metrics {
    return { bitsPerByte: this.nats / Math.LN2 / this.bytes, top1: this.hits / this.bytes, nextLineExact: this.linesExact / Math.max(1, this.lines) };
  }
}

/** Evaluates on up to `maxBytes` of the held-out files (in order, cut at whole files except the last). */
export function evaluate(scorer: Scorer, ngram: KneserNey, heldOut: CorpusFile[], maxBytes = 60_000, editLines = 100): EvalReport {
  const t0 = performance.now();
  const m = new Tally(), g = new Tally();
  let files = 0;
  for (const f of heldOut) {
    if (m.bytes >= maxBytes) break;
    const bytes = Array.from(Buffer.from(f.text, 'utf8')).slice(0, maxBytes - m.bytes);
    const tokens = [EOT, ...bytes];
    m.add(tokens, scorer.score(tokens));
    g.add(tokens, ngramScores(ngram, tokens));
    files++;
  }
  return {
    files, bytes: m.bytes, lines: m.lines, model: m.metrics(), ngram: g.metrics(), ngramOrder: ngram.order,
    editRanking: editRanking(scorer, ngram, heldOut, editLines),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The report as a plain-text table. */
export function formatEval(r: EvalReport): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const row = (name: string, x: Metrics, edit: number): string =>
    `${name.padEnd(22)} ${x.bitsPerByte.toFixed(3).padStart(10)} ${pct(x.top1).padStart(11)} ${pct(x.nextLineExact).padStart(16)} ${pct(edit).padStart(13)}`;
  return [
    `held-out: ${r.files} files, ${r.bytes} bytes, ${r.lines} non-blank lines; edit ranking on ${r.editRanking.lines} lines (${r.seconds.toFixed(1)} s)`,
    `${'predictor'.padEnd(22)} ${'bits/byte'.padStart(10)} ${'top-1 next'.padStart(11)} ${'next-line exact'.padStart(16)} ${'edit ranking'.padStart(13)}`,
    row('dialogos-mini', r.model, r.editRanking.model),
    row(`${r.ngramOrder}-gram Kneser-Ney`, r.ngram, r.editRanking.ngram),
  ].join('\n') + '\n';
}
