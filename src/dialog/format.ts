// Retrieval-mode answers: each tool result turned into text that quotes its sources (path:line for
// code, seq and time for journal lines) and adds no prose it cannot back.
import type { CallSite, Citation, CodeDiff, CodeSymbol, JournalLine, ModuleSummary, ReadLines, SearchHit, StatusView, TestRef, UnitView } from './types.js';

export interface Formatted { text: string; citations: Citation[] }

const MAX = 15;
const cite = (c: Citation): Citation => ({ path: c.path, line: c.line });
const more = (n: number): string => (n > MAX ? `\n  ... and ${n - MAX} more` : '');

export function fmtDefinitions(name: string, defs: CodeSymbol[]): Formatted {
  if (!defs.length) return { text: `No definition of "${name}" found in the source.`, citations: [] };
  const lines = defs.slice(0, MAX).map((d) =>
    `${d.path}:${d.line}  ${d.kind} ${d.qualifiedName ?? d.name}${d.exported ? ' (exported)' : ''}\n    ${d.signature ?? ''}${d.doc ? `\n    doc: ${d.doc.slice(0, 300)}` : ''}`);
  return { text: `"${name}" is defined at:\n${lines.join('\n')}${more(defs.length)}`, citations: defs.slice(0, MAX).map(cite) };
}

export function fmtCallers(name: string, calls: CallSite[]): Formatted {
  if (!calls.length) return { text: `No calls of "${name}" found in the source.`, citations: [] };
  const lines = calls.slice(0, MAX).map((c) => `  ${c.path}:${c.line}  in ${c.caller.includes('#') ? c.caller.split('#')[1] : '(module top level)'}`);
  return { text: `"${name}" is called from ${calls.length} place${calls.length === 1 ? '' : 's'}:\n${lines.join('\n')}${more(calls.length)}`, citations: calls.slice(0, MAX).map(cite) };
}

export function fmtModule(path: string, m: ModuleSummary | null): Formatted {
  if (!m) return { text: `No module "${path}" in the source.`, citations: [] };
  const ex = m.exports.slice(0, 25).map((e) => `${e.name}${e.line ? ` (${e.path ?? m.path}:${e.line})` : ''}`);
  const im = m.imports.filter((i) => i.to ?? i.specifier).slice(0, 20).map((i) => i.to ?? i.specifier);
  const text = [
    `${m.path}:1 (${m.lines} lines)${m.summary ? `, its header comment says:\n  "${m.summary.slice(0, 600)}"` : ', no header comment'}`,
    ex.length ? `exports: ${ex.join(', ')}` : 'exports nothing',
    im.length ? `imports: ${im.join(', ')}` : 'imports nothing',
    m.importers.length ? `imported by: ${m.importers.slice(0, 20).map((i) => `${i.path}:${i.line}`).join(', ')}` : 'imported by no module',
  ].join('\n');
  return { text, citations: [{ path: m.path, line: 1 }, ...m.exports.filter((e) => e.line).slice(0, 10).map((e) => ({ path: e.path ?? m.path, line: e.line! }))] };
}

export function fmtTests(name: string, tests: TestRef[]): Formatted {
  if (!tests.length) return { text: `No test mentions "${name}".`, citations: [] };
  const lines = tests.slice(0, MAX).map((t) => `  ${t.path}:${t.line}  (${t.kind} test, ${t.via})`);
  return { text: `Tests that exercise "${name}":\n${lines.join('\n')}${more(tests.length)}`, citations: tests.slice(0, MAX).map(cite) };
}

export function fmtSearch(query: string, hits: SearchHit[]): Formatted {
  if (!hits.length) return { text: `Nothing in the code or docs matches "${query}".`, citations: [] };
  const body = hits.map((h) => `${h.path}:${h.line}\n${h.snippet.split('\n').map((l) => `    ${l}`).join('\n')}`);
  return { text: `Best matches for "${query}":\n${body.join('\n')}`, citations: hits.map(cite) };
}

export function fmtRead(r: ReadLines): Formatted {
  const w = String(r.toLine).length;
  return {
    text: `${r.path}:${r.fromLine}-${r.toLine} (of ${r.totalLines})\n${r.lines.map((l, i) => `${String(r.fromLine + i).padStart(w)} | ${l}`).join('\n')}`,
    citations: [{ path: r.path, line: r.fromLine }],
  };
}

export function fmtDiff(a: string, b: string, d: CodeDiff): Formatted {
  const syms = (xs: CodeSymbol[]) => xs.slice(0, MAX).map((s) => `${s.qualifiedName ?? s.name} (${s.path}:${s.line})`).join(', ') || 'none';
  const text = [
    `Between ${a} and ${b}:`,
    `files added: ${d.files.added.join(', ') || 'none'}`, `files removed: ${d.files.removed.join(', ') || 'none'}`, `files changed: ${d.files.changed.join(', ') || 'none'}`,
    `symbols added: ${syms(d.symbols.added)}`, `symbols removed: ${syms(d.symbols.removed)}`,
    `symbols changed: ${d.symbols.changed.slice(0, MAX).map((c) => `${c.after.qualifiedName ?? c.after.name} (${c.after.path}:${c.after.line}: ${c.what.join(', ')})`).join(', ') || 'none'}`,
  ].join('\n');
  return { text, citations: [...d.symbols.added, ...d.symbols.changed.map((c) => c.after)].slice(0, MAX).map(cite) };
}

const unitLine = (u: UnitView): string => `  ${u.name.padEnd(14)} ${u.kind.padEnd(8)} ${u.state.padEnd(9)} ${u.reason}`;

export function fmtStatus(s: StatusView): Formatted {
  const g = s.generation ? `generation ${s.generation.id}${s.generation.trial ? ' (trial)' : ''}, ${s.generation.outcome}` : 'no generation (host instance)';
  const list = s.services.length ? `:\n${s.services.map(unitLine).join('\n')}` : '';
  const text = `${s.hostname} (${s.mode}): ${s.phase}: ${s.reason}\n${g}\n${s.services.length} unit${s.services.length === 1 ? '' : 's'}${list}\n(source: GET /v1/status)`;
  return { text, citations: [] };
}

export function fmtUnits(units: UnitView[]): Formatted {
  return { text: units.length ? `${units.length} units:\n${units.map(unitLine).join('\n')}\n(source: GET /v1/units)` : 'No units are configured. (source: GET /v1/units)', citations: [] };
}

export function fmtUnit(u: { status: UnitView; spec: Record<string, unknown> | null }): Formatted {
  const s = u.status;
  const exit = s.lastExit
    ? `last exit: ${s.lastExit.signal ? `signal ${s.lastExit.signal}` : `code ${s.lastExit.code}`}${s.lastExit.oom ? ' (out of memory)' : ''} at ${s.lastExit.at}`
    : 'no exit recorded';
  const spec = u.spec ? `\nspec: ${JSON.stringify(u.spec)}` : '';
  const text = `${s.name} (${s.kind}): ${s.state} since ${s.since}: ${s.reason}\n${s.enabled ? 'enabled' : 'disabled'}, pid ${s.pid ?? '-'}, ${s.restarts} restarts, ${exit}${spec}`
    + `\n(source: GET /v1/units/${s.name})`;
  return { text, citations: [] };
}

export function fmtJournal(lines: JournalLine[], unit?: string): Formatted {
  if (!lines.length) return { text: `No journal lines${unit ? ` for ${unit}` : ''} match. (source: GET /v1/journal)`, citations: [] };
  return { text: `${lines.map((e) => `seq ${e.seq} ${e.time} ${e.unit}[${e.level}]: ${e.message}`).join('\n')}\n(source: GET /v1/journal${unit ? `?unit=${unit}` : ''})`, citations: [] };
}

export function fmtGeneration(id: string, v: Record<string, unknown>): Formatted {
  return {
    text: `${id === 'store' ? 'generation store' : `generation ${id}`}:\n${JSON.stringify(v, null, 2).slice(0, 4000)}\n(source: GET /v1/generations${id === 'store' ? '' : `/${id}`})`,
    citations: [],
  };
}
