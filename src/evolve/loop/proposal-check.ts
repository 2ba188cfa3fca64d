// What the loop checks of a proposal before anything judges it: that it is well-formed data (a proposer may
// emit garbage), that its paths stay inside the tree, that each `before` is the parent's text (the change
// applies), and that its TypeScript parses. A proposal that fails becomes a rejected, recorded candidate.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import type { FileChange } from '../candidate.js';
import type { Proposal } from '../types.js';

export type Checked = { ok: true; proposal: Proposal } | { ok: false; rule: string; detail: string; id: string };

const PLAIN_PATH = /^[\w@.-]+(\/[\w@.-]+)*$/;

/** The id a malformed proposal is recorded under: a content address of whatever it was. */
export function garbageId(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return `c-${createHash('sha256').update(`garbage\0${text}`).digest('hex').slice(0, 16)}`;
}

const isText = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** Why `raw` is not a proposal, or null when it is one. */
function shapeError(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return `a proposal must be an object, got ${typeof raw}`;
  const p = raw as Partial<Proposal>;
  if (!Array.isArray(p.changes)) return 'a proposal must have a "changes" list';
  for (const [i, c] of (p.changes as unknown[]).entries()) {
    if (typeof c !== 'object' || c === null) return `change ${i} is not an object`;
    const f = c as Partial<FileChange>;
    if (typeof f.path !== 'string') return `change ${i} has no string "path"`;
    if (!isText(f.before) || !isText(f.after)) return `change ${i} ("${f.path}") needs "before" and "after" as text or null`;
    if (!PLAIN_PATH.test(f.path) || f.path.split('/').some((s) => s === '..' || s === '.')) return `change ${i} has path "${f.path}" outside the tree`;
  }
  if (typeof p.provenance !== 'object' || p.provenance === null || typeof p.provenance.proposer !== 'string') return 'a proposal must say where it came from ("provenance.proposer")';
  return null;
}

/** Each change's `before` against the text `current(path)` of the parent; the first that differs. */
function applyError(changes: readonly FileChange[], current: (path: string) => string | null): string | null {
  for (const c of changes) {
    const now = current(c.path);
    if (now !== c.before) {
      const what = now === null ? 'the file does not exist' : c.before === null ? 'the file already exists' : 'its "before" text differs from the file';
      return `the change to "${c.path}" does not apply to the parent: ${what}`;
    }
  }
  return null;
}

/** The first syntax error of a changed .ts file, as "path:line: message". */
function syntaxError(ts: typeof TS, changes: readonly FileChange[]): string | null {
  for (const c of changes) {
    if (c.after === null || !c.path.endsWith('.ts')) continue;
    const out = ts.transpileModule(c.after, { reportDiagnostics: true, fileName: c.path, compilerOptions: { module: ts.ModuleKind.ESNext } });
    const d = out.diagnostics?.[0];
    if (d) {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `"${c.path}" does not parse (line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')})`;
    }
  }
  return null;
}

/** Checks `raw` against the parent whose files `current` reads. `ts`, when given, also parses the TypeScript. */
export function checkProposal(raw: unknown, current: (path: string) => string | null, ts?: typeof TS): Checked {
  const shape = shapeError(raw);
  if (shape) return { ok: false, rule: 'malformed-proposal', detail: shape, id: garbageId(raw) };
  const p = raw as Proposal;
  const apply = applyError(p.changes, current);
  if (apply) return { ok: false, rule: 'does-not-apply', detail: apply, id: garbageId(raw) };
  const syntax = ts ? syntaxError(ts, p.changes) : null;
  if (syntax) return { ok: false, rule: 'does-not-parse', detail: syntax, id: garbageId(raw) };
  return { ok: true, proposal: p };
}

/** A parent's file reader: the parent candidate's text where it changed a file, else the base tree's. */
export function parentReader(root: string, parentChanges: readonly FileChange[]): (path: string) => string | null {
  const changed = new Map(parentChanges.map((c) => [c.path, c.after]));
  return (path) => {
    if (changed.has(path)) return changed.get(path)!;
    const file = join(root, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  };
}

/**
 * The proposal's changes (against the parent) composed with the parent's (against the base): whole files
 * against the base tree, what the evaluator runs over the base. A file changed back to the base is dropped.
 */
export function composeChanges(parentChanges: readonly FileChange[], own: readonly FileChange[]): FileChange[] {
  const out = new Map(parentChanges.map((c) => [c.path, { ...c }]));
  for (const c of own) {
    const base = out.get(c.path);
    out.set(c.path, { path: c.path, before: base ? base.before : c.before, after: c.after });
  }
  return [...out.values()].filter((c) => c.before !== c.after).sort((a, b) => (a.path < b.path ? -1 : 1));
}
