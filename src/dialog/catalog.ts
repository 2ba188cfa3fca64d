// The catalog plain-question retrieval ranks: every symbol, module header and doc section of the source
// with the text a person's words can meet (name, signature, doc comment, body, path). Built from the code
// index's symbols and sections when there is one, else from declarations found by regular expressions.

/**
 * The learned vocabulary of a catalog (plain-vocab.ts), entry by entry in the catalog's order. Terms are
 * numbered (`terms[id]`) so the saved form stays small and quick to parse.
 */
export interface PlainVocab {
  /** Abbreviation → the long word it stands for ("gen" → "generation"), learned from the code. */
  abbrev: Array<[string, string]>;
  /** Every term (stem) of the catalog; the lists below hold indexes into it. */
  terms: string[];
  /** Each term's postings, flat: entry index, field-weighted count × 1000, entry index, ... */
  postings: number[][];
  /** Each entry's name terms (for the co-occurrence expansion). */
  nameTerms: number[][];
  /** Each entry's terms from its name, doc comment, path and signature (not its body). */
  strongTerms: number[][];
}

/** One place an answer can cite. */
export interface CatalogEntry {
  /** A symbol kind (function, class, method, ...), `module` for a file's header, `doc` for a markdown section. */
  kind: string;
  path: string;
  line: number;
  endLine: number;
  /** Symbol name, file path or section heading. */
  name: string;
  qualifiedName?: string;
  signature?: string;
  doc?: string;
  /** Text whose words count a little: a symbol's body, a section's text, a module's summary. */
  body: string;
  /** The lines `body` was cut from (first, last), so a saved catalog can leave it out and read it back. */
  bodyAt?: [number, number];
}

export interface CodeCatalog {
  entries: CatalogEntry[];
  /** Relative imports between files (from → to), for the import graph. */
  imports: Array<{ from: string; to: string }>;
  /** The vocabulary learned from these entries, when it was saved with them (plain-cache.ts). */
  vocab?: PlainVocab;
}

/** A source file as the builder needs it; symbols and sections come from the code index when it has them. */
export interface CatalogFile {
  path: string;
  lines: string[];
  summary?: string;
  symbols?: Array<{ name: string; qualifiedName: string; kind: string; line: number; endLine: number; signature: string; doc?: string }>;
  sections?: Array<{ line: number; endLine: number; heading: string; trail: string[] }>;
  imports?: string[];
}

const DECL = /^(\s*)(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(function\*?|class|interface|type|enum|const|let|var|namespace)\s+([A-Za-z_$][\w$]*)/;
const METHOD = /^(\s+)(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\([^;]*\{\s*$/;
const NOT_METHOD = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'constructor']);
const BODY_LINES = 80;
const MEMBER_KINDS = new Set(['property', 'enum-member']);

/** The comment block right above line index i, without markers. */
export function docAbove(lines: string[], i: number): string | undefined {
  const out: string[] = [];
  for (let j = i - 1; j >= 0 && /^\s*(\/\/|\/\*\*?|\*)/.test(lines[j]!); j--) out.unshift(lines[j]!.replace(/^\s*(\/\/+|\/\*\*?|\*\/|\*)\s?/, '').replace(/\*\/\s*$/, '').trim());
  const doc = out.filter(Boolean).join(' ').trim();
  return doc || undefined;
}

/** Where a declaration at line index i ends: the first closing line at its indentation, or the next declaration. */
function endOf(lines: string[], i: number, indent: string): number {
  if (/[;,]\s*$/.test(lines[i]!) && !/[{(]\s*$/.test(lines[i]!)) return i + 1;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (l.startsWith(`${indent}}`) || l.startsWith(`${indent})`) || l.startsWith(`${indent}]`)) return j + 1;
    if (!indent && DECL.test(l) && !/^\s/.test(l)) return j;
  }
  return lines.length;
}

function grepSymbols(lines: string[]): NonNullable<CatalogFile['symbols']> {
  const out: NonNullable<CatalogFile['symbols']> = [];
  let container: string | null = null;
  lines.forEach((text, i) => {
    const d = DECL.exec(text);
    if (d && !d[1]) {
      container = d[3]!;
      const kind = d[2]!.startsWith('function') ? 'function' : ['const', 'let', 'var'].includes(d[2]!) ? 'variable' : d[2]!;
      out.push({ name: d[3]!, qualifiedName: d[3]!, kind, line: i + 1, endLine: endOf(lines, i, ''), signature: text.trim().replace(/\s*\{\s*$/, ''), ...docOf(lines, i) });
      return;
    }
    const m = METHOD.exec(text);
    if (m && container && !NOT_METHOD.has(m[2]!) && m[1]!.length <= 4) {
      const signature = text.trim().replace(/\s*\{\s*$/, '');
      out.push({ name: m[2]!, qualifiedName: `${container}.${m[2]!}`, kind: 'method', line: i + 1, endLine: endOf(lines, i, m[1]!), signature, ...docOf(lines, i) });
    }
  });
  return out;
}

const docOf = (lines: string[], i: number): { doc?: string } => {
  const d = docAbove(lines, i);
  return d ? { doc: d } : {};
};

function grepSections(lines: string[]): NonNullable<CatalogFile['sections']> {
  const heads: Array<{ line: number; level: number; heading: string }> = [];
  let fence = false;
  lines.forEach((l, i) => {
    if (/^```/.test(l)) fence = !fence;
    const m = !fence && /^(#{1,6})\s+(.+)$/.exec(l);
    if (m) heads.push({ line: i + 1, level: m[1]!.length, heading: m[2]!.trim() });
  });
  return heads.map((h, k) => {
    const trail = heads.slice(0, k).filter((o, j) => o.level < h.level && !heads.slice(j + 1, k).some((x) => x.level <= o.level)).map((o) => o.heading);
    return { line: h.line, endLine: (heads[k + 1]?.line ?? lines.length + 1) - 1, heading: h.heading, trail };
  });
}

/** The leading comment of a file, without markers. */
export function headerOf(lines: string[]): string {
  const head: string[] = [];
  for (const l of lines) {
    if (/^\s*(\/\/|#(?!!)|\/\*|\*)/.test(l)) head.push(l.replace(/^\s*(\/\/+|#+|\/\*\*?|\*\/|\*)\s?/, '').trim());
    else if (!l.startsWith('#!')) break;
  }
  return head.filter(Boolean).join(' ');
}

function importsOf(f: CatalogFile): string[] {
  if (f.imports) return f.imports;
  const dir = f.path.split('/').slice(0, -1);
  const out: string[] = [];
  for (const l of f.lines) {
    const m = /^(?:import|export)\b[^'"]*from\s+'(\.[^']+)'/.exec(l);
    if (!m) continue;
    const parts = [...dir];
    for (const seg of m[1]!.split('/')) if (seg === '..') parts.pop(); else if (seg !== '.') parts.push(seg);
    out.push(parts.join('/').replace(/\.js$/, '.ts'));
  }
  return out;
}

/** Builds the catalog of a source tree: symbols (those too small to stand alone excepted), module headers, doc sections. */
export function buildCatalog(files: Iterable<CatalogFile>): CodeCatalog {
  const entries: CatalogEntry[] = [];
  const imports: CodeCatalog['imports'] = [];
  for (const f of files) {
    const slice = (a: number, b: number): string => f.lines.slice(a - 1, Math.min(b, a + BODY_LINES)).join('\n');
    const at = (a: number, b: number): [number, number] => [a, Math.min(b, a + BODY_LINES)];
    if (f.path.endsWith('.md')) {
      for (const s of f.sections ?? grepSections(f.lines)) {
        entries.push({ kind: 'doc', path: f.path, line: s.line, endLine: s.endLine, name: [...s.trail, s.heading].join(' > '), body: slice(s.line + 1, s.endLine), bodyAt: at(s.line + 1, s.endLine) });
      }
      continue;
    }
    if (!f.path.endsWith('.ts')) continue;
    const summary = f.summary ?? headerOf(f.lines);
    entries.push({ kind: 'module', path: f.path, line: 1, endLine: 1, name: f.path, body: summary, ...(summary ? { doc: summary } : {}) });
    for (const s of f.symbols ?? grepSymbols(f.lines)) {
      if (MEMBER_KINDS.has(s.kind)) continue;
      entries.push({
        kind: s.kind, path: f.path, line: s.line, endLine: s.endLine, name: s.name, qualifiedName: s.qualifiedName,
        signature: s.signature, ...(s.doc ? { doc: s.doc } : {}), body: slice(s.line, s.endLine), bodyAt: at(s.line, s.endLine),
      });
    }
    for (const to of importsOf(f)) imports.push({ from: f.path, to });
  }
  return { entries, imports };
}
