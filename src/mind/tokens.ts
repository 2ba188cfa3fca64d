// Identifier-aware tokens for retrieval: `parseBootCountName` is found by "boot count", `boot_count` and
// by its whole name. Plain words are lowercased and lightly stemmed (a plural's trailing "s").

const WORD = /[A-Za-z0-9_$]+/g;

/** Splits an identifier into lowercase sub-words: camelCase, PascalCase, snake_case, kebab and digits. */
export function splitIdentifier(id: string): string[] {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .split(/[\s_$\-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const STOP = new Set([
  'the', 'a', 'an', 'of', 'to', 'in', 'is', 'and', 'or', 'for', 'it', 'on', 'be', 'as', 'at', 'by', 'this', 'that', 'with', 'from',
  'where', 'what', 'how', 'which', 'who', 'does', 'do', 'are',
]);

function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

// Source text repeats its identifiers: splitting each distinct word once saves most of the work.
const memo = new Map<string, string[]>();
/** Distinct words the memo holds before it starts over (bounds its memory on huge trees). @tunable 1000..2000000 */
const MEMO_LIMIT = 200000;

function wordTokens(word: string): string[] {
  let t = memo.get(word);
  if (t) return t;
  const parts = splitIdentifier(word);
  t = parts.filter((p) => p.length > 1 && !STOP.has(p)).map(stem);
  if (parts.length > 1) t.push(word.toLowerCase());
  if (memo.size > MEMO_LIMIT) memo.clear();
  memo.set(word, t);
  return t;
}

/** Retrieval tokens of a text: every sub-word (stemmed), plus each compound identifier whole. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    if (m[0].length > 64) continue; // base64 and hashes carry no meaning for retrieval
    for (const t of wordTokens(m[0])) out.push(t);
  }
  return out;
}

/** Term frequencies of a text, optionally weighted (a symbol's name counts more than its body). */
export function addTerms(into: Record<string, number>, text: string, weight = 1): Record<string, number> {
  // Own properties only: a term such as "constructor" must not read Object.prototype's.
  for (const t of tokenize(text)) if (t !== '__proto__') into[t] = (Object.hasOwn(into, t) ? into[t]! : 0) + weight;
  return into;
}
