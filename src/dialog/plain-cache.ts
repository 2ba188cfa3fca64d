// The retrieval catalog and its learned vocabulary, saved beside the code index and keyed by the index's
// content digest: a one-shot `dialogos ask` reads one file instead of loading the index, reading every
// source file and learning the vocabulary again (seconds). Any change of the tree changes the digest, and
// a cache of another digest or format version is never used.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CatalogEntry, CodeCatalog } from './catalog.js';
import { learnVocab } from './plain-vocab.js';

/** The retrieval catalog could not be saved beside the code index. */
export class PlainCacheWriteError extends Error {
  override name = 'PlainCacheWriteError';
}

/** Bumped whenever what the catalog or the vocabulary holds changes, so an older cache is rebuilt. */
export const PLAIN_CACHE_VERSION = 3;

interface CacheFile {
  version: number; digest: string; stamps?: Stamps; vocab: NonNullable<CodeCatalog['vocab']>;
  catalog: { entries: Array<CatalogEntry | Omit<CatalogEntry, 'body'>>; imports: CodeCatalog['imports'] };
}

/** A source file's lines by path (undefined when it cannot be read). */
export type LinesOf = (path: string) => string[] | undefined;

/** Gives the entries saved without their body a body read from the source on first use (the embedding re-rank and flows need it). */
function lazyBodies(entries: CatalogEntry[], linesOf: LinesOf): void {
  const files = new Map<string, string[]>();
  for (const e of entries) {
    const at = e.bodyAt;
    if (!at || typeof e.body === 'string') continue;
    Object.defineProperty(e, 'body', {
      enumerable: true, configurable: true,
      get() {
        let lines = files.get(e.path);
        if (!lines) files.set(e.path, (lines = linesOf(e.path) ?? []));
        return lines.slice(at[0] - 1, at[1]).join('\n');
      },
    });
  }
}

/** Files' size, mtime and hash when the cache was saved (src/mind's FileStamp), so checking the digest reads only what changed. */
export type Stamps = Record<string, { size: number; mtimeMs: number; hash: string }>;

/** A saved catalog and what it was made for. */
export interface SavedCatalog { digest: string; stamps: Stamps; catalog: CodeCatalog }

/**
 * The saved catalog (with its vocabulary) and the digest it was made for; undefined when missing, torn,
 * foreign or of another format version. The caller compares the digest with the tree's. Bodies are read
 * back through `linesOf` when an answer needs one.
 */
export function loadPlainCache(file: string, linesOf: LinesOf = () => undefined): SavedCatalog | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(raw) as CacheFile;
    if (c.version !== PLAIN_CACHE_VERSION || typeof c.digest !== 'string' || !Array.isArray(c.catalog?.entries)) return undefined;
    if (c.vocab?.strongTerms?.length !== c.catalog.entries.length || !Array.isArray(c.vocab.postings)) return undefined;
    const entries = c.catalog.entries as CatalogEntry[];
    lazyBodies(entries, linesOf);
    return { digest: c.digest, stamps: c.stamps ?? {}, catalog: { entries, imports: c.catalog.imports, vocab: c.vocab } };
  } catch {
    return undefined; // a torn write or another program's file: rebuilding is always right
  }
}

/** An entry as saved: its body left out when it can be read back from the source lines. */
function withoutBody(e: CatalogEntry): CatalogEntry | Omit<CatalogEntry, 'body'> {
  if (!e.bodyAt) return e;
  const { body: _body, ...rest } = e;
  return rest;
}

/**
 * Saves a catalog with its vocabulary (learned here when it has none) for `digest`, with the stamps of
 * the files it was made from (only when they hash to that digest), atomically; returns
 * the catalog with the vocabulary attached.
 * @throws PlainCacheWriteError when the directory is not writable
 */
export function savePlainCache(file: string, digest: string, catalog: CodeCatalog, stamps: Stamps = {}): CodeCatalog {
  const vocab = catalog.vocab ?? learnVocab(catalog.entries);
  const body: CacheFile = { version: PLAIN_CACHE_VERSION, digest, stamps, catalog: { entries: catalog.entries.map(withoutBody), imports: catalog.imports }, vocab };
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body));
    renameSync(tmp, file);
  } catch (err) {
    throw new PlainCacheWriteError(`Cannot save the retrieval catalog to "${file}": ${(err as Error).message}`, { cause: err });
  }
  return { ...catalog, vocab };
}
