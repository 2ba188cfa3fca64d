// Text output of `dialogos code`: one cited `path:line` per result, the way grep and compilers print them.
import type { CallEdge, CodeIndex, GenerationDiff, ModuleInfo, OpenResult, Reference, SearchHit, SymbolInfo, TestCoverage } from '../mind/index.js';

const firstLine = (s?: string) => (s ?? '').split('\n')[0]!.trim();

export function fmtIndex(r: OpenResult): string {
  const s = r.index.stats();
  const u = r.summary;
  const out = [
    `indexed ${r.index.root}: ${s.files} files (${s.modules} TypeScript), ${s.symbols} symbols, ${s.references} references, ${s.calls} calls, ${s.sections} doc sections, ${s.chunks} search chunks`,
    r.rebuilt ? `full build in ${u.ms} ms` : `update in ${u.ms} ms: ${u.added.length} added, ${u.changed.length} changed, ${u.removed.length} removed, ${u.dependents.length} importers re-analysed`,
    `saved to ${r.file}`,
    ...r.index.notes().map((n) => `note: ${n.message}`),
  ];
  return out.join('\n') + '\n';
}

export function fmtDefs(defs: SymbolInfo[]): string {
  return defs.map((d) => `${d.path}:${d.line}: ${d.kind} ${d.qualifiedName}${d.exported ? '' : ' (internal)'}\n    ${d.signature}${d.doc ? `\n    // ${firstLine(d.doc)}` : ''}\n`).join('');
}

export function fmtRefs(ix: CodeIndex, refs: Reference[]): string {
  const many = new Set(refs.map((r) => r.symbol)).size > 1;
  return refs.map((r) => `${r.path}:${r.line}: ${r.kind}${many ? ` ${r.symbol}` : ''}  ${readLine(ix, r.path, r.line)}\n`).join('');
}

export function fmtCalls(ix: CodeIndex, edges: CallEdge[], side: 'caller' | 'callee'): string {
  return edges.map((e) => `${e.path}:${e.line}: ${side === 'caller' ? e.caller : e.callee}  ${readLine(ix, e.path, e.line)}\n`).join('');
}

export function fmtModule(m: ModuleInfo): string {
  const out = [`${m.path}:1: ${m.kind}, ${m.lines} lines`];
  if (m.summary) out.push('', ...m.summary.split('\n').map((l) => `  ${l}`));
  if (m.exports.length) out.push('', 'EXPORTS', ...m.exports.map((e) => `  ${e.name}${e.path ? `  ${e.path}:${e.line}` : ''}`));
  if (m.imports.length) {
    out.push('', 'IMPORTS', ...m.imports.map((i) => `  ${m.path}:${i.line}: ${i.to ?? i.specifier}${i.names.length ? ` {${i.names.join(', ')}}` : ''}${i.typeOnly ? ' (types)' : ''}`));
  }
  if (m.importers.length) out.push('', 'IMPORTED BY', ...m.importers.map((i) => `  ${i.path}:${i.line}`));
  if (m.sections.length) out.push('', 'SECTIONS', ...m.sections.map((s) => `  ${m.path}:${s.line}: ${'#'.repeat(s.level)} ${s.heading}`));
  if (m.tests.length) out.push('', 'TESTS', ...fmtTests(m.tests).trimEnd().split('\n').map((l) => `  ${l}`));
  return out.join('\n') + '\n';
}

export function fmtTests(tests: TestCoverage[]): string {
  return tests.map((t) => `${t.path}:${t.line}: ${t.kind} test, ${t.via === 'direct' ? 'references it' : `imports it via ${t.chain!.slice(1).join(' -> ')}`}\n`).join('');
}

export function fmtSearch(hits: SearchHit[]): string {
  return hits.map((h) => `${h.path}:${h.line}-${h.endLine}: ${h.title}  (${h.kind}, score ${h.score})\n${h.snippet.split('\n').map((l) => `    ${l}`).join('\n')}\n`).join('');
}

export function fmtDiff(d: GenerationDiff): string {
  const out: string[] = [];
  for (const p of d.files.added) out.push(`A ${p}`);
  for (const p of d.files.removed) out.push(`D ${p}`);
  for (const p of d.files.changed) out.push(`M ${p}`);
  for (const s of d.symbols.added) out.push(`+ ${s.path}:${s.line}: ${s.kind} ${s.qualifiedName}`);
  for (const s of d.symbols.removed) out.push(`- ${s.path}:${s.line}: ${s.kind} ${s.qualifiedName} (in the older tree)`);
  for (const c of d.symbols.changed) out.push(`~ ${c.after.path}:${c.after.line}: ${c.after.kind} ${c.after.qualifiedName} (${c.what.join(', ')})`);
  return out.length ? out.join('\n') + '\n' : '';
}

function readLine(ix: CodeIndex, path: string, line: number): string {
  try { return ix.read(path, line, line).lines[0]!.trim().slice(0, 120); } catch { return ''; }
}
