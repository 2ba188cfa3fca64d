// V8 block coverage (what NODE_V8_COVERAGE writes, one JSON per process) turned into the lines a run
// executed. Ranges nest; the innermost range around a line's first character decides whether it ran.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Range { startOffset: number; endOffset: number; count: number }
interface ScriptCoverage { url: string; functions: Array<{ ranges: Range[] }> }

/** Scripts covered in a NODE_V8_COVERAGE folder: file path → its ranges (merged over processes). */
export function readCoverageDir(dir: string, keep: (file: string) => boolean): Map<string, Range[][]> {
  const out = new Map<string, Range[][]>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { result?: ScriptCoverage[] };
    for (const s of data.result ?? []) {
      if (!s.url.startsWith('file://')) continue;
      const file = fileURLToPath(s.url);
      if (!keep(file)) continue;
      const ranges = s.functions.flatMap((f) => f.ranges);
      out.set(file, [...(out.get(file) ?? []), ranges]);
    }
  }
  return out;
}

/** 1-based lines of `text` whose first non-blank character ran, given one process's ranges of it. */
export function executedLines(text: string, ranges: Range[]): Set<number> {
  const firsts: number[] = []; // offsets of the first non-blank character of non-blank lines, ascending
  const lineNo: number[] = [];
  let offset = 0;
  text.split('\n').forEach((line, i) => {
    const m = /\S/.exec(line);
    if (m) { firsts.push(offset + m.index); lineNo.push(i + 1); }
    offset += line.length + 1;
  });
  const count = new Array<number>(firsts.length).fill(-1);
  // Widest first, so inner ranges overwrite outer ones.
  const sorted = [...ranges].sort((a, b) => (b.endOffset - b.startOffset) - (a.endOffset - a.startOffset));
  for (const r of sorted) {
    for (let i = lowerBound(firsts, r.startOffset); i < firsts.length && firsts[i]! < r.endOffset; i++) count[i] = r.count;
  }
  const out = new Set<number>();
  count.forEach((c, i) => { if (c > 0) out.add(lineNo[i]!); });
  return out;
}

/** Index of the first element of ascending `xs` at or after `x`. */
function lowerBound(xs: number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
