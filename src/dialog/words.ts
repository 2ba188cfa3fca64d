// Words for plain-question retrieval: identifiers split into the words a person would say
// (`verifyManifestSig` → verify, manifest, sig), a light stemmer so "selection" meets "select", and
// abbreviations (gen, cfg, svc) learned from the code itself by which long words they appear beside.

/** Words that carry no meaning for finding code; question words are dropped too. */
const STOP = new Set(('a an the of to in on at by for from with into onto over and or not no is are was were be been being '
  + 'it its this that these those there here do does did done doing has have had can could should would will shall may might '
  + 'where what which who whom whose how when why whether me my i you your we our they them their he she his her '
  + 'get gets got about any some all each every one ones so then than too very just also only out up down if else as '
  + 'tell show find look let lets make made use used using way ways thing things happen happens happening place places '
  + 'part code implemented implement implementation defined define definition written handled handle handles dialogos').split(' '));

/** Words that name a kind of symbol or place; they steer the ranking, they are not searched for. */
export const KIND_WORDS: Record<string, string> = {
  function: 'function', functions: 'function', method: 'method', methods: 'method', class: 'class', classes: 'class',
  type: 'type', types: 'type', interface: 'interface', interfaces: 'interface', constant: 'variable', constants: 'variable',
  file: 'module', files: 'module', module: 'module', modules: 'module', folder: 'module', doc: 'doc', docs: 'doc',
  documentation: 'doc', readme: 'doc', test: 'test', tests: 'test', tested: 'test', error: 'error', errors: 'error',
};

// Source repeats its identifiers: each distinct one is split once.
const splitMemo = new Map<string, string[]>();

function splitOne(id: string): string[] {
  let parts = splitMemo.get(id);
  if (parts) return parts;
  parts = id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2').split(' ').filter((p) => p.length > 1).map((p) => p.toLowerCase());
  if (splitMemo.size > 200_000) splitMemo.clear();
  splitMemo.set(id, parts);
  return parts;
}

/** Splits identifiers and prose into lowercase words: camelCase, PascalCase, ACRONYMWord, snake_case, kebab, digits. */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*/g)) {
    if (m[0].length > 48) continue; // hashes and base64 mean nothing
    for (const p of splitOne(m[0])) out.push(p);
  }
  return out;
}

const SUFFIXES = ['ations', 'ation', 'itions', 'ition', 'ments', 'ment', 'ness', 'ings', 'ing', 'ions', 'ion', 'ers', 'er', 'ed', 'es', 'ly', 's', 'e'];

/** A light stem: plural and verb endings off, a final y as i, then at most five letters. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith('ies') || w.endsWith('ied')) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  for (const s of SUFFIXES) {
    if (!w.endsWith(s) || w.length - s.length < 3 || (s === 's' && w.endsWith('ss'))) continue;
    w = w.slice(0, -s.length);
    break;
  }
  return w.slice(0, 5);
}

export const isStop = (w: string): boolean => STOP.has(w);

/** The content words of a text, stemmed: what is searched for. */
export function contentTerms(text: string): string[] {
  return splitWords(text).filter((w) => !STOP.has(w)).map(stem);
}

const consonants = (w: string): string => w[0]! + w.slice(1).replace(/[aeiouy]/g, '');

/**
 * How well `short` can abbreviate `long`, 0 when it cannot: a prefix that is no mere inflection (gen,
 * generation; not fail, failed) or, from three letters, its consonants in order (cfg, config). Closer
 * to 1 the more of the long word's consonants it keeps (src is source before service).
 */
export function abbreviationFit(short: string, long: string): number {
  if (short.length < 2 || short.length > 4 || long.length < short.length + 3 || short[0] !== long[0] || /[0-9]/.test(short + long)) return 0;
  if (stem(short) === stem(long) || /^(?:.?(?:ed|ing|er|ers|es|s))$/.test(long.slice(short.length))) return 0;
  const skeleton = consonants(long);
  if (long.startsWith(short)) return Math.min(1, short.length / skeleton.length + 0.25);
  if (short.length < 3 || /[aeiou]/.test(short.slice(1))) return 0;
  let i = 1;
  for (let j = 1; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length ? short.length / skeleton.length : 0;
}

export const canAbbreviate = (short: string, long: string): boolean => abbreviationFit(short, long) > 0;

/**
 * Learns abbreviations from groups of words that occur together (one group per file or symbol): `short`
 * abbreviates the long word it can stand for that shares the most groups with it, if at least `min`.
 * Returns short word → long word (both unstemmed).
 */
export function learnAbbreviations(groups: Iterable<Iterable<string>>, min = 2): Map<string, string> {
  const seen = new Map<string, number>();
  const pairs = new Map<string, number>();
  const shorts = new Set<string>();
  const longs = new Set<string>();
  const sets: string[][] = [];
  for (const g of groups) {
    const s = [...new Set(g)];
    sets.push(s);
    for (const w of s) {
      seen.set(w, (seen.get(w) ?? 0) + 1);
      if (w.length <= 4 && !STOP.has(w)) shorts.add(w);
      if (w.length >= 4) longs.add(w);
    }
  }
  // Candidates first (few per short word), co-occurrence counted only for them.
  const cands = new Map<string, string[]>();
  const byFirst = new Map<string, string[]>();
  for (const l of longs) byFirst.set(l[0]!, [...(byFirst.get(l[0]!) ?? []), l]);
  for (const s of shorts) {
    const c = (byFirst.get(s[0]!) ?? []).filter((l) => (seen.get(l) ?? 0) >= min && abbreviationFit(s, l) > 0);
    if (c.length) cands.set(s, c);
  }
  for (const set of sets) {
    const has = new Set(set);
    for (const s of set) for (const l of cands.get(s) ?? []) if (has.has(l)) pairs.set(`${s} ${l}`, (pairs.get(`${s} ${l}`) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [s, ls] of cands) {
    let best: [string, number] | null = null;
    for (const l of ls) {
      const n = pairs.get(`${s} ${l}`) ?? 0;
      // Most places that use the short word use the long one too; the closer fit wins among those.
      const score = n * abbreviationFit(s, l) ** 2;
      if (n >= min && n >= 0.25 * (seen.get(s) ?? 0) && (!best || score > best[1] || (score === best[1] && l < best[0]))) best = [l, score];
    }
    // A real word of its own (used far more than its would-be long form) is no abbreviation: "test", "key".
    if (best && (seen.get(s) ?? 0) <= 4 * (seen.get(best[0]) ?? 0)) out.set(s, best[0]);
  }
  return out;
}
