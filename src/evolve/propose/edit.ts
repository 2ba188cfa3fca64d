// Turning one span edit of a file into a Proposal: apply it, check that the result still parses, and drop
// near-duplicates (the same file text up to whitespace, or the same syntax tree) before anything is yielded.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TS from 'typescript';
import type { Proposal, Provenance } from '../types.js';

export type Ts = typeof TS;

/** One replacement in a file's text: [start, end) becomes `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** An edit a proposer wants to make, before it is checked and turned into a Proposal. */
export interface EditIdea {
  path: string;
  edit: Edit;
  operator: string;
  description: string;
  prior: number;
}

export function applyEdit(text: string, e: Edit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function parseFile(ts: Ts, path: string, text: string): TS.SourceFile {
  const kind = path.endsWith('.ts') || path.endsWith('.mts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, kind);
}

/** True when `text` parses without syntax errors. */
export function parses(ts: Ts, path: string, text: string): boolean {
  const sf = parseFile(ts, path, text) as TS.SourceFile & { parseDiagnostics?: unknown[] };
  if (sf.parseDiagnostics) return sf.parseDiagnostics.length === 0;
  const out = ts.transpileModule(text, { fileName: path, reportDiagnostics: true, compilerOptions: { noEmit: true } });
  return (out.diagnostics ?? []).length === 0;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Remembers what was already proposed: two candidates are near-duplicates when their files are equal up to
 * whitespace, or print to the same syntax tree (comments and layout aside).
 */
export class NearDuplicates {
  private readonly seen = new Set<string>();
  private readonly printer: TS.Printer;

  constructor(private readonly ts: Ts) {
    this.printer = ts.createPrinter({ removeComments: true });
  }

  private keys(files: Array<{ path: string; text: string }>): string[] {
    const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
    const flat = sorted.map((f) => `${f.path}\0${f.text.replace(/\s+/g, ' ').trim()}`).join('\0');
    const tree = sorted.map((f) => `${f.path}\0${this.printer.printFile(parseFile(this.ts, f.path, f.text))}`).join('\0');
    return [`text:${sha(flat)}`, `ast:${sha(tree)}`];
  }

  /** Marks the parent's own files as seen, so a change that only reformats is dropped too. */
  markOriginal(files: Array<{ path: string; text: string }>): void {
    for (const k of this.keys(files)) this.seen.add(k);
  }

  /** True (and remembered) when no near-duplicate was seen before. */
  admit(files: Array<{ path: string; text: string }>): boolean {
    const keys = this.keys(files);
    if (keys.some((k) => this.seen.has(k))) return false;
    for (const k of keys) this.seen.add(k);
    return true;
  }
}

/** Reads the parent's files once per proposer run. */
export class FileCache {
  private readonly texts = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {}

  read(path: string): Promise<string> {
    let t = this.texts.get(path);
    if (!t) {
      t = readFile(join(this.root, path), 'utf8');
      this.texts.set(path, t);
    }
    return t;
  }
}

/**
 * Checks ideas in order and yields at most `limit` proposals: each parses, differs from the parent and from
 * every earlier one (NearDuplicates), and carries the whole file before and after.
 */
export async function* toProposals(
  ts: Ts, files: FileCache, ideas: AsyncIterable<EditIdea> | Iterable<EditIdea>, o: { proposer: string; limit: number; seed?: number },
): AsyncIterable<Proposal> {
  const dups = new NearDuplicates(ts);
  const marked = new Set<string>();
  let n = 0;
  for await (const idea of ideas) {
    if (n >= o.limit) return;
    const before = await files.read(idea.path);
    if (!marked.has(idea.path)) {
      dups.markOriginal([{ path: idea.path, text: before }]);
      marked.add(idea.path);
    }
    const after = applyEdit(before, idea.edit);
    if (!parses(ts, idea.path, after) || !dups.admit([{ path: idea.path, text: after }])) continue;
    const provenance: Provenance = { proposer: o.proposer, operator: idea.operator, ...(o.seed === undefined ? {} : { seed: o.seed }) };
    n++;
    yield { changes: [{ path: idea.path, before, after }], description: idea.description, provenance, prior: idea.prior };
  }
}
