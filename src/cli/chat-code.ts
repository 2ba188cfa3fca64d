// The dialog's code tools, bound to the code index (src/mind) with the regular-expression tools as the
// fallback. The index opens on the first code question, not at start: in the OS that is seconds of hashing
// under emulation, and a question about the machine's state should not wait for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeUnavailableError, type CodeDiff, type CodeSymbol, type CodeTools, grepCodeTools, loadPlainCache, mindCodeTools, savePlainCache,
} from '../dialog/index.js';
import { contentDigest, defaultStateDir, indexFile, openIndex, treeDigest, type CodeIndex, type TreeDigest, type Embedder, type SymbolInfo } from '../mind/index.js';
import { treeOf } from './code.js';

type CodeCatalog = Awaited<ReturnType<NonNullable<CodeTools['catalog']>>>;

const sym = (s: SymbolInfo): CodeSymbol => ({
  path: s.path, line: s.line, name: s.name, qualifiedName: s.qualifiedName, kind: s.kind, endLine: s.endLine, exported: s.exported,
  ...(s.doc ? { doc: s.doc } : {}), signature: s.signature,
});

/** What changed between two generations (ids, or tree paths), through the index of each tree. */
function generationDiff(mindDir: string, env: NodeJS.ProcessEnv) {
  return async (a: string, b: string): Promise<CodeDiff> => {
    const [older, newer] = [await openIndex({ source: treeOf(a, {}, env), mindDir }), await openIndex({ source: treeOf(b, {}, env), mindDir })];
    const d = older.index.diff(newer.index);
    return {
      files: d.files,
      symbols: { added: d.symbols.added.map(sym), removed: d.symbols.removed.map(sym), changed: d.symbols.changed.map((c) => ({ after: sym(c.after), what: c.what })) },
    };
  };
}

/**
 * Code tools over `root`: the mind index (kept in the instance's mind/ directory, started from the
 * generation's shipped index when it has one), or grep when the index cannot be opened (no compiler in
 * the tree, a read-only state). `onFallback` says why, once.
 */
export function codeToolsFor(
  root: string, state: string | undefined, env: NodeJS.ProcessEnv, onFallback: (why: string) => void = () => {},
  embedder: () => Promise<Embedder | null> = async () => null,
): CodeTools {
  const mindDir = defaultStateDir(state, env);
  let tools: Promise<CodeTools> | undefined;
  let index: CodeIndex | undefined;
  let catalog: Promise<CodeCatalog> | undefined;
  const get = (): Promise<CodeTools> => (tools ??= openIndex({ source: root, mindDir }).then(
    (opened) => { index = opened.index; return mindCodeTools(opened.index, generationDiff(mindDir, env)); },
    (err: Error) => {
      onFallback(`the code index is unavailable (${err.message}); answering from a text search of the source`);
      return grepCodeTools(root);
    },
  ));
  return {
    definitions: async (name) => (await get()).definitions(name),
    callers: async (name) => (await get()).callers(name),
    moduleInfo: async (path) => (await get()).moduleInfo(path),
    testsFor: async (name) => (await get()).testsFor(name),
    async search(text, opts) {
      const t = await get();
      const e = index ? await embedder() : null;
      if (!index || !e) return t.search(text, opts);
      // BM25 finds the candidates, the embedding model re-ranks them (reciprocal rank fusion in src/mind).
      const hits = await index.searchHybrid(text, e, { k: opts?.k ?? 5 }).catch((err: Error) => {
        onFallback(`hybrid search failed (${err.message}); ranking by BM25 alone`);
        return null;
      });
      return hits ? hits.map((h) => ({ path: h.path, line: h.line, endLine: h.endLine, title: h.title, snippet: h.snippet, score: h.score })) : t.search(text, opts);
    },
    read: async (path, from, to) => (await get()).read(path, from, to),
    diff: async (a, b) => (await get()).diff(a, b),
    paths: async () => (await get()).paths(),
    async embed(texts) {
      // Plain questions re-rank the catalog's candidates, which the grep fallback has too.
      const e = await embedder();
      return e ? e.embed(texts) : null;
    },
    catalog: () => (catalog ??= cachedCatalog(root, mindDir, get, () => index, onFallback)),
  };

}

/**
 * The retrieval catalog saved beside the index when the tree's content digest is the one it was made
 * for (no index load at all), else made from the index and saved under the index's own digest.
 */
async function cachedCatalog(
  root: string, mindDir: string, get: () => Promise<CodeTools>, indexOf: () => CodeIndex | undefined, onFallback: (why: string) => void,
): Promise<CodeCatalog> {
  const cacheFile = indexFile(mindDir, root).replace(/index-([^/]+)\.json$/, 'plain-$1.json');
  const linesOf = (path: string): string[] | undefined => {
    try {
      return readFileSync(join(root, path), 'utf8').split('\n');
    } catch {
      return undefined; // gone since the cache was made: the entry quotes no body
    }
  };
  const saved = loadPlainCache(cacheFile, linesOf);
  let now: TreeDigest | undefined;
  try {
    now = treeDigest(root, saved?.stamps);
  } catch {
    now = undefined; // the tree cannot be listed: get() below says why
  }
  if (saved && now && saved.digest === now.digest) return saved.catalog;
  const t = await get();
  if (!t.catalog) throw new CodeUnavailableError('Cannot list the code for plain questions: these code tools keep no catalog');
  const made = await t.catalog();
  const index = indexOf();
  if (!index) return made; // the grep fallback's catalog is not the index's: nothing to key it by
  try {
    const digest = contentDigest(index.data);
    return savePlainCache(cacheFile, digest, made, digest === now?.digest ? now.stamps : {});
  } catch (err) {
    onFallback(`${(err as Error).message}; plain questions rebuild it in each process`);
    return made;
  }
}
