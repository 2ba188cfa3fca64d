// Building and updating the index. A file's record depends on its content and on the files it imports
// (transitively: types and re-exports flow through them), so an update re-analyses the files whose
// content changed plus every file that imports one of them, and reuses every other record as it was.
import type * as TS from 'typescript';
import { createCodeIndex } from './code-index.js';
import type { CodeIndex } from './api.js';
import { markdownChunks, textChunks, tsChunks } from './chunks.js';
import { DeclNamer } from './decl.js';
import { declaredNames, extractFacts } from './extract.js';
import { markdownSections } from './markdown.js';
import { createProgram, loadTypeScript, parseSource } from './program.js';
import { shapeHash } from './shape.js';
import { INDEX_VERSION, type FileRecord, type IndexData, type IndexNote, type UpdateSummary } from './types.js';
import { scanTree, type SourceFile } from './walk.js';

export interface BuildOptions {
  /** Called with a short line at each phase (for progress on a slow machine). */
  onProgress?: (message: string) => void;
}

const empty = (f: SourceFile): FileRecord => ({
  path: f.path, hash: f.hash, kind: f.kind, lines: f.text === undefined ? 0 : f.text.split('\n').length,
  symbols: [], exports: [], imports: [], importCandidates: [], references: [], calls: [], sections: [], chunks: [],
  notes: f.note ? [f.note] : [],
});

function plainRecord(f: SourceFile): FileRecord {
  const r = empty(f);
  if (f.kind === 'markdown') {
    r.sections = markdownSections(f.path, f.text!);
    r.chunks = markdownChunks(f.path, f.text!, r.sections);
  } else if (f.kind === 'text') r.chunks = textChunks(f.path, f.text!);
  return r;
}

/** Files that must be re-analysed: the changed TypeScript files and, transitively, their importers. */
function dirtySet(seeds: Set<string>, records: Map<string, FileRecord>): Set<string> {
  const importers = new Map<string, string[]>();
  for (const r of records.values()) for (const c of r.importCandidates) importers.set(c, [...(importers.get(c) ?? []), r.path]);
  const dirty = new Set(seeds);
  const queue = [...seeds];
  while (queue.length) {
    for (const p of importers.get(queue.pop()!) ?? []) if (!dirty.has(p)) { dirty.add(p); queue.push(p); }
  }
  return dirty;
}

async function analyseTs(root: string, files: Map<string, SourceFile>, dirty: string[], clean: FileRecord[], out: Map<string, FileRecord>, progress: (m: string) => void): Promise<void> {
  const ts = await loadTypeScript();
  const texts = new Map<string, { text: string; hash: string }>();
  for (const f of files.values()) if (f.kind === 'ts') texts.set(f.path, { text: f.text!, hash: f.hash });
  const t0 = Date.now();
  const program = createProgram(ts, root, dirty, texts);
  const checker = program.getTypeChecker();
  const namer = new DeclNamer(ts);
  const sfs = new Map<string, TS.SourceFile>();
  for (const p of dirty) sfs.set(p, program.getSourceFile(`${root}/${p}`)!);
  const names = new Set<string>();
  for (const r of clean) for (const s of r.symbols) names.add(s.name);
  for (const sf of sfs.values()) for (const n of declaredNames(ts, namer, sf)) names.add(n);
  progress(`parsed and bound ${program.getSourceFiles().length} TypeScript files in ${Date.now() - t0} ms`);
  const cx = { ts, checker, namer, root, names, exists: (p: string) => texts.has(p) };
  for (const [p, sf] of sfs) {
    const f = files.get(p)!;
    const facts = extractFacts(cx, sf, p);
    const { regions, ...rest } = facts;
    const notes: IndexNote[] = program.getSyntacticDiagnostics(sf).slice(0, 1).map((d) => ({
      path: p, reason: 'syntax',
      message: `Syntax error in "${p}" at line ${sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (indexed what parses)`,
    }));
    const rec: FileRecord = { ...empty(f), ...rest, shapeHash: shapeHash(ts, sf), notes };
    rec.chunks = tsChunks(p, f.text!, rec, regions);
    out.set(p, rec);
  }
  progress(`analysed ${sfs.size} TypeScript files in ${Date.now() - t0} ms`);
}

/** Re-analyses what changed between `old` (or nothing) and the files now under `root`. */
async function refresh(root: string, old: IndexData | undefined, opts: BuildOptions): Promise<{ data: IndexData; summary: UpdateSummary }> {
  const t0 = Date.now();
  const progress = opts.onProgress ?? (() => undefined);
  const files = scanTree(root);
  const prev = new Map(Object.entries(old && old.version === INDEX_VERSION ? old.files : {}));
  const added = [...files.keys()].filter((p) => !prev.has(p));
  const removed = [...prev.keys()].filter((p) => !files.has(p));
  const changed = [...files.keys()].filter((p) => prev.has(p) && prev.get(p)!.hash !== files.get(p)!.hash);
  const out = new Map<string, FileRecord>();
  for (const [p, r] of prev) if (files.has(p) && !changed.includes(p)) out.set(p, r);
  const isTs = (p: string) => files.get(p)?.kind === 'ts' || prev.get(p)?.kind === 'ts';
  const tsSeeds = [...added, ...changed, ...removed].filter(isTs);
  // Edits that keep a file's shape (bodies behind declared return types) cannot change what its importers
  // resolve: only the file itself is re-analysed. Any other change re-analyses its importers, transitively.
  const ts = tsSeeds.length ? await loadTypeScript() : undefined;
  const sameShape = (p: string): boolean => {
    const f = files.get(p), o = prev.get(p);
    if (!ts || !f || !o || f.kind !== 'ts' || o.kind !== 'ts' || !o.shapeHash) return false;
    return shapeHash(ts, parseSource(ts, root, p, f.text!, f.hash)) === o.shapeHash;
  };
  const bodyOnly = changed.filter((p) => isTs(p) && sameShape(p));
  const seeds = new Set(tsSeeds.filter((p) => !bodyOnly.includes(p)));
  // A script (a file with no import or export) shares the global scope with every other script.
  const scripts = [...prev.values()].filter((r) => r.kind === 'ts' && r.isModule === false).map((r) => r.path);
  const newScript = [...seeds].some((p) => prev.get(p)?.isModule === false || (files.get(p)?.kind === 'ts' && !/^\s*(import|export)\b/m.test(files.get(p)!.text!)));
  if (newScript) for (const p of scripts) seeds.add(p);
  // Importer edges come from the records as they were (an edited file's imports are in its shape).
  const graph = new Map([...out, ...changed.filter(isTs).map((p) => [p, prev.get(p)!] as const)]);
  const dirty = [...new Set([...dirtySet(seeds, graph), ...bodyOnly])].filter((p) => files.get(p)?.kind === 'ts').sort();
  for (const p of dirty) out.delete(p);
  for (const p of [...added, ...changed]) if (files.get(p)!.kind !== 'ts') out.set(p, plainRecord(files.get(p)!));
  progress(`${files.size} files: ${added.length} added, ${changed.length} changed, ${removed.length} removed; ${dirty.length} TypeScript files to analyse`);
  if (dirty.length) await analyseTs(root, files, dirty.sort(), [...out.values()].filter((r) => r.kind === 'ts'), out, progress);
  const sorted: Record<string, FileRecord> = {};
  for (const p of [...out.keys()].sort()) sorted[p] = out.get(p)!;
  const direct = new Set([...added, ...changed]);
  return {
    data: { version: INDEX_VERSION, root, files: sorted },
    summary: { added, removed, changed, dependents: dirty.filter((p) => !direct.has(p)), ms: Date.now() - t0 },
  };
}

/**
 * Indexes every source file under `root` (an absolute path).
 * @throws SourceRootError when root is not a directory; CompilerUnavailableError when typescript cannot be loaded
 */
export async function buildIndex(root: string, opts: BuildOptions = {}): Promise<CodeIndex> {
  const { data } = await refresh(root, undefined, opts);
  return createCodeIndex(data);
}

/**
 * Brings an index up to date with the files now under `root` (default: the index's own root), re-analysing
 * only changed files and their importers. The result equals a full build of the same tree.
 * @throws SourceRootError, CompilerUnavailableError as buildIndex
 */
export async function updateIndex(index: CodeIndex | IndexData, root?: string, opts: BuildOptions = {}): Promise<{ index: CodeIndex; summary: UpdateSummary }> {
  const data = 'data' in index ? index.data : index;
  const r = await refresh(root ?? data.root, data, opts);
  return { index: createCodeIndex(r.data), summary: r.summary };
}
