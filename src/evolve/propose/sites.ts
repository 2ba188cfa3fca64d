// Where operators apply in a file: every (operator, edit) pair, with the line it starts on, optionally only
// on some lines. Shared by the mutation proposer and the defect seeder.
import type * as TS from 'typescript';
import { applyEdit, lineOf, parseFile, type Edit, type Ts } from './edit.js';
import type { Operator } from './operators.js';

export interface Site {
  operator: string;
  /** 1-based line where the edit starts. */
  line: number;
  edit: Edit;
  /** The text the edit replaces and what it puts there. */
  before: string;
  after: string;
}

/** Line start offsets of a text (index 0 is line 1). */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

function lineAt(starts: number[], offset: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
  }
  return lo + 1;
}

/** Nodes of a file in source order (depth first). */
export function nodesOf(ts: Ts, sf: TS.SourceFile): TS.Node[] {
  const out: TS.Node[] = [];
  const visit = (n: TS.Node): void => {
    out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return out;
}

/**
 * Every site of `operators` in `text`, in source order; with `lines`, only edits starting on those lines.
 * Edits that change nothing are left out.
 */
export function mutationSites(ts: Ts, path: string, text: string, operators: Record<string, Operator>, lines?: Set<number>): Site[] {
  const sf = parseFile(ts, path, text);
  const starts = lineStarts(text);
  const out: Site[] = [];
  for (const node of nodesOf(ts, sf)) {
    if (lines && !lines.has(lineAt(starts, node.getStart(sf))) && !lines.has(lineAt(starts, node.end))) continue;
    for (const [operator, op] of Object.entries(operators)) {
      for (const edit of op(ts, node, sf)) {
        const line = lineAt(starts, edit.start);
        const before = text.slice(edit.start, edit.end);
        if ((lines && !lines.has(line)) || before === edit.text) continue;
        out.push({ operator, line, edit, before, after: edit.text });
      }
    }
  }
  return out;
}

/** The text of 1-based `line` after applying `edit` (for records: the mutated line). */
export function lineAfter(text: string, edit: Edit, line: number): string {
  return applyEdit(text, edit).split('\n')[line - 1] ?? '';
}

export { lineOf };
