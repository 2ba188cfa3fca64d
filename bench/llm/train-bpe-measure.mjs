// Measures what a learned BPE vocabulary would buy over dialogos-mini's byte tokens on this corpus:
// bytes per token for vocabularies of 512, 1024 and 2048 (GPT-2-style pre-split into words, merges learned
// on the training files, applied to the held-out files), and what the embedding + output matrices would cost.
// usage: node bench/llm/train-bpe-measure.mjs   (after tsc; reads the corpus through dist/train)
import { loadCorpus } from '../../dist/train/index.js';

const SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const words = (text) => text.match(SPLIT) ?? [];

function learn(files, vocab) {
  const counts = new Map();
  for (const f of files) for (const w of words(f.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const seqs = [...counts].map(([w, n]) => ({ syms: [...Buffer.from(w, 'utf8')].map(String), n }));
  const merges = [];
  while (256 + merges.length < vocab) {
    const pairs = new Map();
    for (const { syms, n } of seqs) for (let i = 0; i + 1 < syms.length; i++) {
      const k = `${syms[i]} ${syms[i + 1]}`;
      pairs.set(k, (pairs.get(k) ?? 0) + n);
    }
    let best = null, bestN = 0;
    for (const [k, n] of pairs) if (n > bestN) { best = k; bestN = n; }
    if (!best) break;
    merges.push(best);
    const [a, b] = best.split(' ');
    for (const s of seqs) {
      const out = [];
      for (let i = 0; i < s.syms.length; i++) {
        if (i + 1 < s.syms.length && s.syms[i] === a && s.syms[i + 1] === b) { out.push(`${a}+${b}`); i++; } else out.push(s.syms[i]);
      }
      s.syms = out;
    }
  }
  return merges;
}

function count(files, merges) {
  const rank = new Map(merges.map((m, i) => [m, i]));
  let tokens = 0, bytes = 0;
  for (const f of files) for (const w of words(f.text)) {
    let syms = [...Buffer.from(w, 'utf8')].map(String);
    bytes += syms.length;
    for (;;) {
      let bi = -1, br = Infinity;
      for (let i = 0; i + 1 < syms.length; i++) { const r = rank.get(`${syms[i]} ${syms[i + 1]}`); if (r !== undefined && r < br) { br = r; bi = i; } }
      if (bi < 0) break;
      syms = [...syms.slice(0, bi), `${syms[bi]}+${syms[bi + 1]}`, ...syms.slice(bi + 2)];
    }
    tokens += syms.length;
  }
  return { tokens, bytes };
}

const corpus = loadCorpus(process.argv[2] ?? '.');
const dim = 64;
console.log(`corpus: ${corpus.train.length} training files, ${corpus.heldOut.length} held out; dim ${dim} for the matrix sizes`);
console.log('vocab   held-out bytes/token   embedding+output params');
console.log(`  257   1.00                   ${2 * 257 * dim}`);
for (const v of [512, 1024, 2048]) {
  const t0 = performance.now();
  const merges = learn(corpus.train, v);
  const { tokens, bytes } = count(corpus.heldOut, merges);
  console.log(`${String(v).padStart(5)}   ${(bytes / tokens).toFixed(2).padEnd(22)} ${2 * v * dim}   (learned in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
