// The code index ("mind"): Dialogos's knowledge of its own shipped source. Definitions, references, call and
// import graphs, tests per symbol, docs, BM25 retrieval, persistence with incremental updates, and the
// difference between two generations. The TypeScript compiler is loaded lazily, on the first build.
export type { CodeIndex, SymbolQuery } from './api.js';
export * from './types.js';
export * from './errors.js';
export { buildIndex, updateIndex, type BuildOptions } from './build.js';
export { openIndex, loadIndex, saveIndex, rebaseIndex, indexFile, SHIPPED_INDEX, defaultStateDir, findSourceRoot, type OpenOptions, type OpenResult } from './store.js';
export { createCodeIndex } from './code-index.js';
export { contentDigest, treeDigest, type FileStamp, type TreeDigest } from './digest.js';
export { diffGenerations } from './diff.js';
export { splitIdentifier, tokenize } from './tokens.js';
export { formatLocation } from './format.js';
export { repoMap, type RepoMapEntry, type RepoMapOptions } from './repo-map.js';
