// What plain-question retrieval learns from a catalog before it can rank: the project's abbreviations and
// each entry's weighted terms. Plain data, so it can be saved beside the code index (plain-cache.ts) and a
// one-shot `dialogos ask` does not learn it again.
import type { CatalogEntry, PlainVocab } from './catalog.js';
import { isStop, learnAbbreviations, splitWords, stem } from './words.js';

const FIELD = { name: 3, doc: 2, path: 1.5, signature: 1, body: 0.35 } as const;

function pathWords(path: string): string {
  return path.replace(/\.(ts|md|c|h)$/, '').split('/').filter((s) => s !== 'src' && s !== 'index').join(' ');
}

/** Learns the vocabulary of catalog entries: abbreviations from their own words, then every entry's terms. */
export function learnVocab(entries: readonly CatalogEntry[]): PlainVocab {
  const fields = entries.map((e) => ({
    name: splitWords(`${e.name} ${e.qualifiedName ?? ''}`), doc: splitWords(e.doc ?? ''), path: splitWords(pathWords(e.path)),
    signature: splitWords(e.signature ?? ''), body: splitWords(e.body.slice(0, 6000)),
  }));
  const abbrev = learnAbbreviations(fields.map((f) => [...f.name, ...f.doc, ...f.path, ...f.signature, ...f.body.slice(0, 300)]));
  const stems = new Map<string, string[]>();
  const termsOf = (words: string[]): string[] => {
    const out: string[] = [];
    for (const w of words) {
      let t = stems.get(w);
      if (!t) {
        const long = abbrev.get(w);
        t = isStop(w) ? [] : long ? [stem(w), stem(long)] : [stem(w)];
        stems.set(w, t);
      }
      for (const x of t) out.push(x);
    }
    return out;
  };
  const vocab: PlainVocab = { abbrev: [...abbrev], terms: [], postings: [], nameTerms: [], strongTerms: [] };
  const ids = new Map<string, number>();
  const id = (t: string): number => {
    let n = ids.get(t);
    if (n === undefined) { ids.set(t, (n = vocab.terms.push(t) - 1)); vocab.postings.push([]); }
    return n;
  };
  entries.forEach((e, i) => {
    const tf = new Map<string, number>();
    const add = (words: string[], w: number) => { for (const t of termsOf(words)) tf.set(t, (tf.get(t) ?? 0) + w); };
    const f = fields[i]!;
    add(f.name, FIELD.name);
    add(f.doc, FIELD.doc);
    add(f.path, e.kind === 'module' ? FIELD.name : FIELD.path);
    add(f.signature, FIELD.signature);
    add(f.body, FIELD.body);
    for (const [t, n] of tf) vocab.postings[id(t)]!.push(i, Math.round(n * 1000));
    vocab.nameTerms.push([...new Set(termsOf(f.name))].map(id));
    vocab.strongTerms.push([...new Set(termsOf([...f.name, ...f.doc, ...f.path, ...f.signature]))].map(id));
  });
  return vocab;
}
