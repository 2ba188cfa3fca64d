// Retrieval units and their terms: one per symbol (its name weighs most), a file header per module, one
// per markdown section, regions for top-level code and for other text files.
import { addTerms } from './tokens.js';
import type { Chunk, DocSection, FileRecord, SymbolInfo } from './types.js';

const REGION_LINES = 50;
// Members too small to stand alone: their owner's chunk carries their names.
const OWN_CHUNK = new Set<SymbolInfo['kind']>(['function', 'class', 'interface', 'type', 'enum', 'variable', 'namespace', 'method', 'constructor', 'accessor']);

const slice = (lines: string[], from: number, to: number): string => lines.slice(from - 1, to).join('\n');

/** Chunks of a TypeScript file from its facts. */
export function tsChunks(path: string, text: string, rec: Pick<FileRecord, 'summary' | 'symbols' | 'exports' | 'imports'>, regions: Array<[number, number]>): Chunk[] {
  const lines = text.split('\n');
  const out: Chunk[] = [];
  const firstDecl = Math.min(lines.length, ...rec.symbols.map((s) => s.line));
  const head: Record<string, number> = {};
  addTerms(head, path, 2);
  addTerms(head, rec.summary ?? '', 2);
  addTerms(head, rec.exports.map((e) => e.name).join(' '));
  addTerms(head, rec.imports.map((i) => i.specifier).join(' '));
  out.push({ kind: 'module', title: path, line: 1, endLine: Math.max(1, Math.min(firstDecl - 1, 40)), terms: head });
  const members = new Map<string, string[]>();
  for (const s of rec.symbols) {
    const dot = s.qualifiedName.lastIndexOf('.');
    if (dot > 0) members.set(s.qualifiedName.slice(0, dot), [...(members.get(s.qualifiedName.slice(0, dot)) ?? []), s.name]);
  }
  for (const s of rec.symbols) {
    if (!OWN_CHUNK.has(s.kind)) continue;
    const terms: Record<string, number> = {};
    addTerms(terms, `${s.name} ${s.qualifiedName}`, 3);
    addTerms(terms, s.doc ?? '', 2);
    addTerms(terms, path);
    if (s.kind === 'class') addTerms(terms, `${s.signature} ${(members.get(s.qualifiedName) ?? []).join(' ')}`);
    else addTerms(terms, slice(lines, s.line, s.endLine).slice(0, 20_000));
    out.push({ kind: 'symbol', title: `${s.kind} ${s.qualifiedName}`, line: s.line, endLine: s.endLine, symbol: s.id, terms });
  }
  for (const [a, b] of regions) {
    const terms = addTerms({}, slice(lines, a, b).slice(0, 20_000));
    addTerms(terms, path);
    out.push({ kind: 'text', title: (lines[a - 1] ?? '').trim().slice(0, 80), line: a, endLine: b, terms });
  }
  return out;
}

/** Chunks of a markdown file: its preamble and each section. */
export function markdownChunks(path: string, text: string, sections: DocSection[]): Chunk[] {
  const lines = text.split('\n');
  const out: Chunk[] = [];
  const firstHeading = sections[0]?.line ?? lines.length + 1;
  if (firstHeading > 1 && slice(lines, 1, firstHeading - 1).trim()) {
    out.push({ kind: 'doc', title: path, line: 1, endLine: firstHeading - 1, terms: addTerms(addTerms({}, path, 2), slice(lines, 1, firstHeading - 1)) });
  }
  for (const s of sections) {
    const terms: Record<string, number> = {};
    addTerms(terms, s.heading, 3);
    addTerms(terms, s.trail.join(' '));
    addTerms(terms, path);
    addTerms(terms, slice(lines, s.line + 1, s.endLine).slice(0, 20_000));
    out.push({ kind: 'doc', title: [...s.trail, s.heading].join(' > '), line: s.line, endLine: s.endLine, terms });
  }
  return out;
}

/** Chunks of any other text file: regions of REGION_LINES lines. */
export function textChunks(path: string, text: string): Chunk[] {
  const lines = text.split('\n');
  const out: Chunk[] = [];
  for (let a = 1; a <= lines.length; a += REGION_LINES) {
    const b = Math.min(lines.length, a + REGION_LINES - 1);
    const body = slice(lines, a, b);
    if (!body.trim()) continue;
    out.push({ kind: 'text', title: a === 1 ? path : `${path}:${a}`, line: a, endLine: b, terms: addTerms(addTerms({}, path, a === 1 ? 2 : 1), body) });
  }
  return out;
}
