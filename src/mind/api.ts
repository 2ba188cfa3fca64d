// The query surface of the code index, as the dialog agent and the CLI use it.
import type { RepoMapEntry } from './repo-map.js';
import type {
  CallEdge, DocSection, Embedder, GenerationDiff, IndexData, IndexNote, IndexStats, ModuleInfo, ReadResult,
  Reference, SearchHit, SearchOptions, SymbolInfo, TestCoverage,
} from './types.js';

/**
 * A symbol as a query names it: a SymbolInfo, its id (`src/gen/store.ts#Store.listDir`), a qualified name
 * (`Store.listDir`) or a plain name (`listDir`). A name that matches several symbols means all of them.
 */
export type SymbolQuery = string | SymbolInfo;

/** A built (or loaded) index of one source root. Every result cites a path relative to `root` and a line. */
export interface CodeIndex {
  /** Absolute source root the paths are relative to. */
  readonly root: string;
  /** The persisted form (what saveIndex writes, what diffGenerations compares). */
  readonly data: IndexData;
  /** Files indexed partly or not at all, and why. */
  notes(): IndexNote[];
  stats(): IndexStats;
  /** The symbol with this id. */
  symbol(id: string): SymbolInfo | undefined;
  /**
   * Where a name is defined. Exact matches of an id, qualified name (`Store.listDir`) or name win;
   * otherwise case-insensitive and fuzzy matches (sub-words: `bootCount` finds `parseBootCountName`), best first.
   */
  definitions(name: string, opts?: { limit?: number }): SymbolInfo[];
  /** Every use of the symbol across modules (imports and re-exports included), by path and line. */
  references(symbol: SymbolQuery): Reference[];
  /** Calls of the symbol: who calls it, from which line. */
  callers(symbol: SymbolQuery): CallEdge[];
  /** What the symbol calls, with the call sites. */
  callees(symbol: SymbolQuery): CallEdge[];
  /** What a module does (its leading comment), its exports, imports and importers. Path relative to root. */
  moduleInfo(path: string): ModuleInfo | undefined;
  /** Test files that exercise the symbol: those that reference it, then those that import its module transitively. */
  testsFor(symbol: SymbolQuery): TestCoverage[];
  /** Markdown sections, of one file or all. */
  docs(path?: string): DocSection[];
  /** BM25 retrieval over symbols, file headers, doc sections and text regions. */
  search(text: string, opts?: SearchOptions): SearchHit[];
  /** BM25 candidates re-ranked with embeddings (reciprocal rank fusion). */
  searchHybrid(text: string, embedder: Embedder, opts?: SearchOptions): Promise<SearchHit[]>;
  /**
   * Lines fromLine..toLine (1-based, inclusive, clamped) of a file under the root.
   * @throws MindNotFoundError when the path is not in the index
   */
  read(path: string, fromLine?: number, toLine?: number): ReadResult;
  /**
   * A repository map: the exported symbols other files use most (or in the focused files), their
   * signatures grouped by file with `line:`, within `maxChars`. With `question`, files a search finds first.
   */
  map(opts?: { maxChars?: number; question?: string }): { entries: RepoMapEntry[]; text: string };
  /** What changed from `this` (older) to `other` (newer). */
  diff(other: CodeIndex | IndexData): GenerationDiff;
}
