// A small Myers line diff and its unified-diff text, for the archive's record of what a candidate changed
// (the `diff` npm package is not installed here). The archive keeps whole files too; the diff is for people.
import type { FileChange } from '../candidate.js';

/** One line of an edit script: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine { op: ' ' | '-' | '+'; text: string }

const linesOf = (s: string | null): string[] => {
  if (s === null || s === '') return [];
  const l = s.split('\n');
  if (l.at(-1) === '') l.pop();
  return l;
};

/** The shortest edit script from `a` to `b` (Myers 1986, O((N+M)D) time). */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length, m = b.length, max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[max + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], a: readonly string[], b: readonly string[], dEnd: number): DiffLine[] {
  const max = a.length + b.length;
  const out: DiffLine[] = [];
  let x = a.length, y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? k + 1 : k - 1;
    const px = v[max + prevK]!, py = px - prevK;
    while (x > px && y > py) out.push({ op: ' ', text: a[--x]! }), y--;
    if (x === px) out.push({ op: '+', text: b[--y]! });
    else out.push({ op: '-', text: a[--x]! });
  }
  while (x > 0 && y > 0) out.push({ op: ' ', text: a[--x]! }), y--;
  return out.reverse();
}

/** The hunks of a unified diff with `context` lines around each change. */
function hunks(script: DiffLine[], context: number): string[] {
  const out: string[] = [];
  const changed = script.map((l, i) => (l.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i]! - context);
    let end = changed[i]! + context;
    while (i + 1 < changed.length && changed[i + 1]! - context <= end + 1) end = changed[++i]! + context;
    end = Math.min(script.length - 1, end);
    i++;
    let aLine = 1, bLine = 1;
    for (const l of script.slice(0, start)) { if (l.op !== '+') aLine++; if (l.op !== '-') bLine++; }
    const body = script.slice(start, end + 1);
    const aLen = body.filter((l) => l.op !== '+').length, bLen = body.filter((l) => l.op !== '-').length;
    out.push(`@@ -${aLen ? aLine : aLine - 1},${aLen} +${bLen ? bLine : bLine - 1},${bLen} @@`, ...body.map((l) => l.op + l.text));
  }
  return out;
}

/** The unified diff of one file change (`--- a/path`, `+++ b/path`, hunks); '' when nothing changed. */
export function unifiedDiff(c: FileChange, context = 3): string {
  const script = diffLines(linesOf(c.before), linesOf(c.after));
  if (script.every((l) => l.op === ' ')) return '';
  const head = [`--- ${c.before === null ? '/dev/null' : `a/${c.path}`}`, `+++ ${c.after === null ? '/dev/null' : `b/${c.path}`}`];
  return [...head, ...hunks(script, context)].join('\n') + '\n';
}

/** The unified diff of a whole candidate, files in path order. */
export function unifiedDiffAll(changes: readonly FileChange[], context = 3): string {
  return [...changes].sort((p, q) => (p.path < q.path ? -1 : 1)).map((c) => unifiedDiff(c, context)).join('');
}
