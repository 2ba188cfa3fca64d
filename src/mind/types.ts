// The data model of the code index: what is persisted (IndexData, FileRecord) and what queries return.
// Every result carries a path relative to the source root and a 1-based line, so an answer can cite it.

/**
 * Format version of the persisted index; a mismatch means a full rebuild, never a misread. Bump it with
 * any change to what a record holds for the same file content (extraction, signatures, terms).
 */
export const INDEX_VERSION = 2;

export type SymbolKind =
  | 'function' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'namespace'
  | 'method' | 'property' | 'accessor' | 'constructor' | 'enum-member';

/** A place in the source: path relative to the source root, 1-based line and column. */
export interface Location { path: string; line: number; column: number }

/** A declared symbol: a top-level declaration or a member of a class, interface or enum. */
export interface SymbolInfo extends Location {
  /** Stable identity across builds: `path#Qualified.Name` (e.g. `src/gen/store.ts#Store.listDir`). */
  id: string;
  name: string;
  /** Name qualified by its containers (`Store.listDir`); equals `name` at top level. */
  qualifiedName: string;
  kind: SymbolKind;
  endLine: number;
  exported: boolean;
  /** The doc comment (JSDoc or the `//` lines right above), without comment markers. */
  doc?: string;
  /** The declaration's head: parameters and return type for functions, heritage for classes and interfaces, the text of type aliases. */
  signature: string;
  /** sha256 (16 hex) of the whole declaration's text: a body change shows up in generation diffs. */
  bodyHash: string;
}

/** How a reference uses its symbol. */
export type ReferenceKind = 'import' | 'export' | 'call' | 'new' | 'use' | 'type';

/** One use of a symbol, resolved through the type checker (so aliases and re-exports land on the declaration). */
export interface Reference extends Location {
  /** The id of the referenced symbol. */
  symbol: string;
  kind: ReferenceKind;
}

/** A call (or `new`) from one symbol to another; `caller` is a symbol id, or the module path at top level. */
export interface CallEdge extends Location {
  caller: string;
  callee: string;
}

/** An import or re-export statement (or a literal dynamic import) of one module by another. */
export interface ImportEdge {
  from: string;
  /** The imported module's path inside the index; absent for packages and unresolved files. */
  to?: string;
  specifier: string;
  line: number;
  /** Imported names (`*` for namespace or `export *`, `default`); empty for side-effect imports. */
  names: string[];
  typeOnly: boolean;
}

/** A markdown section: its heading, level and the lines it spans (heading line to the next heading). */
export interface DocSection {
  path: string;
  line: number;
  endLine: number;
  level: number;
  heading: string;
  /** The headings above it, outermost first. */
  trail: string[];
}

/** A retrieval unit: one symbol, a file's header region, a doc section, or a region of a text file. */
export interface Chunk {
  kind: 'symbol' | 'module' | 'doc' | 'text';
  title: string;
  line: number;
  endLine: number;
  symbol?: string;
  /** Term frequencies after identifier splitting and lowercasing. */
  terms: Record<string, number>;
}

/** Why a file was indexed only partly or not at all. */
export interface IndexNote {
  path: string;
  reason: 'binary' | 'too-large' | 'syntax' | 'unreadable';
  message: string;
}

export type FileKind = 'ts' | 'markdown' | 'text' | 'skipped';

/** Everything the index knows about one file, derived from its content and the files it imports. */
export interface FileRecord {
  path: string;
  /** sha256 of the content (hex). */
  hash: string;
  kind: FileKind;
  lines: number;
  /** The file's leading comment (its purpose), for modules and scripts. */
  summary?: string;
  /**
   * TypeScript: hash of the text without the bodies no other module can observe (bodies of functions with a
   * declared return type). An edit that keeps it re-analyses this file alone, not its importers.
   */
  shapeHash?: string;
  /** True for TypeScript files that are modules (have an import or export). */
  isModule?: boolean;
  symbols: SymbolInfo[];
  exports: Array<{ name: string; symbol?: string }>;
  imports: ImportEdge[];
  /** Every path a relative import could name, existing or not: an added file makes its importers dirty. */
  importCandidates: string[];
  references: Reference[];
  calls: CallEdge[];
  sections: DocSection[];
  chunks: Chunk[];
  notes: IndexNote[];
}

/** The persisted index: one record per file, sorted by path. */
export interface IndexData {
  version: number;
  /** Absolute source root at build time (informational: queries use paths relative to it). */
  root: string;
  files: Record<string, FileRecord>;
}

/** What kind of test a test file is, from its name. */
export type TestKind = 'unit' | 'vm' | 'vmlong' | 'host';

/** A test file that exercises a symbol: directly (it references it) or through the modules it imports. */
export interface TestCoverage {
  path: string;
  kind: TestKind;
  via: 'direct' | 'imports';
  /** First reference line for direct coverage; the line of the first import on the chain otherwise. */
  line: number;
  /** For `imports`: the import chain from the test file to the symbol's module. */
  chain?: string[];
}

/** What a module does and what it depends on. */
export interface ModuleInfo {
  path: string;
  kind: FileKind;
  summary?: string;
  lines: number;
  exports: Array<{ name: string; symbol?: string; path?: string; line?: number }>;
  imports: ImportEdge[];
  /** Modules that import this one, with the import's line. */
  importers: Array<{ path: string; line: number }>;
  symbols: SymbolInfo[];
  sections: DocSection[];
  tests: TestCoverage[];
}

/** A retrieval result. */
export interface SearchHit {
  path: string;
  line: number;
  endLine: number;
  score: number;
  kind: Chunk['kind'];
  title: string;
  symbol?: string;
  /** A few source lines around the best-matching line, read from the source root. */
  snippet: string;
}

export interface SearchOptions {
  /** How many hits (default 10). */
  k?: number;
  /** Restrict to these chunk kinds. */
  kinds?: Array<Chunk['kind']>;
}

/** Text embeddings, e.g. backed by the llm service's `/v1/embeddings`; enables hybrid ranking. */
export interface Embedder {
  embed(texts: string[]): Promise<number[][]>;
}

export interface ReadResult {
  path: string;
  fromLine: number;
  toLine: number;
  totalLines: number;
  /** The lines fromLine..toLine (inclusive), without line numbers. */
  lines: string[];
}

export interface SymbolChange {
  before: SymbolInfo;
  after: SymbolInfo;
  what: Array<'signature' | 'body' | 'doc' | 'kind' | 'exported'>;
}

/** What changed between two generations' sources. */
export interface GenerationDiff {
  files: { added: string[]; removed: string[]; changed: string[] };
  symbols: { added: SymbolInfo[]; removed: SymbolInfo[]; changed: SymbolChange[] };
}

/** What an update did: which files it re-read and which records it recomputed. */
export interface UpdateSummary {
  added: string[];
  removed: string[];
  changed: string[];
  /** Files re-analysed because something they import changed. */
  dependents: string[];
  ms: number;
}

export interface IndexStats {
  files: number;
  modules: number;
  symbols: number;
  references: number;
  calls: number;
  sections: number;
  chunks: number;
  notes: number;
}
