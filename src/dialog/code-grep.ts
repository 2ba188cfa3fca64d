// A CodeTools over plain text: regular expressions over the source tree. It stands in where the code
// index (src/mind) is not wired, so retrieval mode works anywhere the source is; src/mind answers
// better (references resolved by the type checker, generation diffs) and replaces it when present.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { buildCatalog, type CodeCatalog } from './catalog.js';
import { CodeUnavailableError } from './errors.js';
import type { CallSite, CodeSymbol, CodeTools, ModuleSummary, ReadLines, SearchHit, TestRef } from './types.js';

const SKIP = new Set(['node_modules', 'dist', '.git', 'out', 'build']);
const KEEP = /\.(ts|md|mjs|sh|c|json)$/;
const DECL = /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(function\*?|class|interface|type|enum|const|let|var|namespace)\s+([A-Za-z_$][\w$]*)/;
const METHOD = /^\s+(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\([^;]*\{\s*$/;
const NOT_METHOD = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with']);

/** Splits identifiers and text into lowercase terms: `writeGeneration` → write, generation. */
export function terms(text: string): string[] {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 1);
}

interface SourceFile { path: string; lines: string[] }

/**
 * CodeTools by grep over `root` (a checkout, or /dialogos in the OS: the generation's shipped source).
 * Files are read once, on first use.
 */
export function grepCodeTools(root: string): CodeTools {
  let cache: Promise<SourceFile[]> | null = null;
  let catalog: Promise<CodeCatalog> | null = null;
  const files = (): Promise<SourceFile[]> => (cache ??= load(root));
  const ts = async () => (await files()).filter((f) => f.path.endsWith('.ts'));
  const find = async (path: string) => (await files()).find((f) => f.path === path);

  /** The declarations of `name` (or `Outer.name`). */
  async function definitions(query: string): Promise<CodeSymbol[]> {
    const [outer, name] = query.includes('.') ? [query.slice(0, query.lastIndexOf('.')).split('.').at(-1)!, query.slice(query.lastIndexOf('.') + 1)] : [null, query];
    const out: CodeSymbol[] = [];
    for (const f of await ts()) {
      let container: string | null = null;
      f.lines.forEach((text, i) => {
        const d = DECL.exec(text);
        if (d && !/^\s/.test(text)) container = d[2]!;
        const m = METHOD.exec(text);
        const hit = d && d[2] === name && (!outer || (outer === container && /^\s/.test(text)))
          ? { kind: kindOf(d[1]!), top: !/^\s/.test(text) }
          : m && m[1] === name && !NOT_METHOD.has(m[1]!) && container && (!outer || outer === container) ? { kind: 'method', top: false } : null;
        if (!hit || (!hit.top && !outer && hit.kind !== 'method')) return;
        const qualifiedName = hit.top ? name : `${container}.${name}`;
        out.push({ path: f.path, line: i + 1, name, qualifiedName, kind: hit.kind, exported: /^\s*export\b/.test(text), doc: docAbove(f.lines, i), signature: text.trim().replace(/\s*\{\s*$/, '') });
      });
    }
    return out;
  }

  return {
    definitions,
    async callers(name) {
      const base = name.split('.').at(-1)!;
      const call = new RegExp(`(?:\\bnew\\s+|[^\\w$]|^)${escape(base)}\\s*(?:<[^>()]*>)?\\(`);
      const out: CallSite[] = [];
      for (const f of await ts()) {
        let container = f.path;
        f.lines.forEach((text, i) => {
          const d = DECL.exec(text);
          // A top-level statement that declares nothing (a test(...) call) is the module's own code.
          if (/^[^\s})\]/*]/.test(text)) container = d ? `${f.path}#${d[2]}` : f.path;
          if (/^\s*(\/\/|\*)/.test(text) || !call.test(text.replace(/'[^']*'|`[^`]*`/g, "''"))) return;
          if ((d && d[2] === base) || METHOD.exec(text)?.[1] === base) return;
          out.push({ path: f.path, line: i + 1, caller: container });
        });
      }
      // Callers in the product first, tests after: the question is usually about the product.
      return out.sort((a, b) => Number(a.path.endsWith('.test.ts')) - Number(b.path.endsWith('.test.ts')));
    },
    async moduleInfo(path) {
      const f = await find(path);
      if (!f) return null;
      return summarize(f, await files());
    },
    async testsFor(name) {
      const base = name.split('.').at(-1)!;
      const word = new RegExp(`\\b${escape(base)}\\b`);
      const out: TestRef[] = [];
      for (const f of await ts()) {
        if (!f.path.endsWith('.test.ts')) continue;
        const i = f.lines.findIndex((l) => word.test(l));
        if (i >= 0) out.push({ path: f.path, line: i + 1, kind: /\.vm(long)?\.test/.test(f.path) ? 'vm' : /\.host\.test/.test(f.path) ? 'host' : 'unit', via: 'direct' });
      }
      return out;
    },
    async search(text, opts = {}) {
      const q = [...new Set(terms(text))];
      if (!q.length) return [];
      const all = await files();
      const df = new Map(q.map((t) => [t, all.filter((f) => f.lines.some((l) => l.toLowerCase().includes(t))).length]));
      const hits: SearchHit[] = [];
      for (const f of all) {
        for (let start = 0; start < f.lines.length; start += 20) {
          const win = f.lines.slice(start, start + 30).join('\n').toLowerCase();
          let score = 0;
          for (const t of q) {
            const n = win.split(t).length - 1;
            if (n) score += (Math.log(1 + all.length / (1 + df.get(t)!)) * n) / (n + 1.5);
          }
          if (f.path.toLowerCase().includes(q.join(''))) score += 1;
          if (score > 0) {
            const best = Math.max(0, f.lines.slice(start, start + 30).findIndex((l) => q.some((t) => l.toLowerCase().includes(t))));
            const line = start + best + 1;
            hits.push({ path: f.path, line, endLine: Math.min(f.lines.length, start + 30), title: f.path, score, snippet: f.lines.slice(line - 1, line + 2).join('\n') });
          }
        }
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, opts.k ?? 5);
    },
    async read(path, from, to) {
      const f = await find(path);
      if (!f) throw new CodeUnavailableError(`Cannot read "${path}": no such file in the source at ${root}`);
      const a = Math.max(1, from);
      const b = Math.min(f.lines.length, Math.max(a, to));
      return { path, fromLine: a, toLine: b, totalLines: f.lines.length, lines: f.lines.slice(a - 1, b) } satisfies ReadLines;
    },
    async diff(a, b) {
      throw new CodeUnavailableError(`Cannot compare generations "${a}" and "${b}": the text fallback keeps no generation history; this needs the code index (src/mind)`);
    },
    paths: async () => (await files()).map((f) => f.path),
    catalog: async () => (catalog ??= files().then((fs) => buildCatalog(fs))),
  };
}

function kindOf(k: string): string {
  return k.startsWith('function') ? 'function' : ['const', 'let', 'var'].includes(k) ? 'variable' : k;
}

/** The comment block right above line i, without markers. */
function docAbove(lines: string[], i: number): string | undefined {
  const out: string[] = [];
  for (let j = i - 1; j >= 0 && /^\s*(\/\/|\/\*\*?|\*)/.test(lines[j]!); j--) out.unshift(lines[j]!.replace(/^\s*(\/\/+|\/\*\*?|\*\/|\*)\s?/, '').replace(/\*\/\s*$/, '').trim());
  const doc = out.filter(Boolean).join(' ').trim();
  return doc || undefined;
}

function summarize(f: SourceFile, all: SourceFile[]): ModuleSummary {
  const head: string[] = [];
  for (const l of f.lines) {
    if (/^\s*(\/\/|#(?!!)|\/\*|\*)/.test(l)) head.push(l.replace(/^\s*(\/\/+|#+|\/\*\*?|\*\/|\*)\s?/, '').trim());
    else if (!l.startsWith('#!')) break;
  }
  const exports: ModuleSummary['exports'] = [];
  const imports: ModuleSummary['imports'] = [];
  f.lines.forEach((l, i) => {
    const d = DECL.exec(l);
    if (d && /^export\b/.test(l)) exports.push({ name: d[2]!, path: f.path, line: i + 1 });
    const m = /^(?:import|export)\b[^'"]*from\s+'([^']+)'/.exec(l) ?? /^import\s+'([^']+)'/.exec(l);
    if (m && !imports.some((x) => x.specifier === m[1])) {
      imports.push({ specifier: m[1]!, ...(m[1]!.startsWith('.') ? { to: join(f.path, '..', m[1]!).split(sep).join('/').replace(/\.js$/, '.ts') } : {}), line: i + 1 });
    }
  });
  const importers: ModuleSummary['importers'] = [];
  for (const o of all) {
    if (!o.path.endsWith('.ts') || o.path === f.path) continue;
    o.lines.forEach((l, i) => {
      const m = /from\s+'(\.[^']+)'/.exec(l);
      if (m && join(o.path, '..', m[1]!).split(sep).join('/').replace(/\.js$/, '.ts') === f.path) importers.push({ path: o.path, line: i + 1 });
    });
  }
  const summary = head.filter(Boolean).join(' ');
  return { path: f.path, ...(summary ? { summary } : {}), lines: f.lines.length, exports, imports, importers };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function load(root: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  async function walk(dir: string): Promise<void> {
    let names;
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && KEEP.test(e.name) && !e.name.endsWith('-lock.json')) {
        const text = await readFile(p, 'utf8').catch(() => '');
        if (text.length < 1_000_000 && !text.includes('\0')) out.push({ path: relative(root, p).split(sep).join('/'), lines: text.split('\n') });
      }
    }
  }
  for (const top of ['src', 'docs', 'bench', 'native', 'scripts']) await walk(join(root, top));
  for (const name of ['README.md', 'package.json', 'tsconfig.json']) {
    const text = await readFile(join(root, name), 'utf8').catch(() => null);
    if (text !== null) out.push({ path: name, lines: text.split('\n') });
  }
  return out;
}
