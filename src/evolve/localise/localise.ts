// Fault localisation (issue 10 item 3): run each failing and passing test alone with V8 block coverage,
// map the executed lines of dist/*.js back to src/*.ts through the source maps, score every line by Ochiai,
// and break ties by how surprising the line reads to a local model (lineSurprise of dialogos-mini).
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { lineSurprise, type Scorer } from '../../train/index.js';
import type { Suspect, TestRef } from '../types.js';
import { executedLines, readCoverageDir } from './coverage.js';
import { ochiaiScores, type Spectrum } from './ochiai.js';
import { reachedFiles } from './reach.js';
import { runWithCoverage, spawnExec, type Exec } from './run-test.js';
import { lineMap } from './sourcemap.js';

/** Bits per byte of each line of a file (higher is more unusual): the tie-breaker. */
export type Surprise = (path: string, text: string) => Map<number, number>;

export interface LocaliseOptions {
  /** A built tree: src/ and dist/ with source maps. */
  root: string;
  failing: TestRef[];
  /** Passing tests, or whole test files whose every test passes on the parent. */
  passing: Array<TestRef | string>;
  /** Tie-breaker; see scorerSurprise. */
  surprise?: Surprise;
  /** Which source files may be suspects (default: src/**.ts except tests and test kits, that a failing test reaches by imports). */
  include?: (path: string) => boolean;
  limit?: number;
  timeoutMs?: number;
  /** Test processes at once (default 2). */
  concurrency?: number;
  exec?: Exec;
}

export const isSuspectPath = (p: string) => p.startsWith('src/') && p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.startsWith('src/testkit/');

/** lineSurprise of a trained model as a tie-breaker. */
export function scorerSurprise(scorer: Scorer): Surprise {
  return (_path, text) => new Map(lineSurprise(scorer, text).map((l) => [l.line, l.bitsPerByte]));
}

/** "path:line" keys of the src lines a coverage folder's runs executed. */
function sourceLines(root: string, dir: string, include: (p: string) => boolean): Set<string> {
  const dist = join(resolve(root), 'dist') + '/';
  const out = new Set<string>();
  for (const [file, perProcess] of readCoverageDir(dir, (f) => f.startsWith(dist) && f.endsWith('.js'))) {
    if (!existsSync(`${file}.map`)) continue;
    const map = lineMap(readFileSync(`${file}.map`, 'utf8'));
    const text = readFileSync(file, 'utf8');
    for (const ranges of perProcess) {
      for (const jsLine of executedLines(text, ranges)) {
        for (const [s, line] of map.lines[jsLine - 1] ?? []) {
          const path = relative(root, resolve(dirname(file), map.sources[s]!)).split('\\').join('/');
          if (include(path)) out.add(`${path}:${line}`);
        }
      }
    }
  }
  return out;
}

/**
 * Suspects, most suspicious first.
 * @throws LocaliseRunError when a test cannot be run or runs nothing
 * @example await localise({ root, failing: [{ file: 'src/a/b.test.ts', name: 'b > adds' }], passing: ['src/a/c.test.ts'] })
 */
export async function localise(o: LocaliseOptions): Promise<Suspect[]> {
  const reached = reachedFiles(o.root, [...new Set(o.failing.map((t) => t.file))]);
  const include = o.include ?? ((p: string) => isSuspectPath(p) && reached.has(p));
  const base = await mkdtemp(join(tmpdir(), 'evolve-cov-'));
  const all = [...o.failing, ...o.passing];
  const runs: Spectrum[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) {
      const i = next++;
      const dir = join(base, String(i));
      const r = await runWithCoverage(o.exec ?? spawnExec, o.root, all[i]!, dir, o.timeoutMs ?? 120_000);
      runs[i] = { failed: r.failed > 0, lines: existsSync(dir) ? sourceLines(o.root, dir, include) : new Set() };
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 2) }, worker));
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return rank(o.root, ochiaiScores(runs), o.surprise, o.limit);
}

/** Lines no change can fix: blank, comments, imports (block coverage marks them run with their scope). */
const NOT_CODE = /^\s*($|\/\/|\/\*|\*|import\s|export\s+(type\s+)?\{[^}]*\}\s+from\s)/;

function rank(root: string, scores: Map<string, number>, surprise: Surprise | undefined, limit = Infinity): Suspect[] {
  const texts = new Map<string, string[]>();
  const lineText = (path: string, line: number): string => {
    if (!texts.has(path)) texts.set(path, readFileSync(join(root, path), 'utf8').split('\n'));
    return texts.get(path)![line - 1] ?? '';
  };
  const suspects = [...scores].filter(([, s]) => s > 0).map(([k, score]) => {
    const at = k.lastIndexOf(':');
    return { path: k.slice(0, at), line: Number(k.slice(at + 1)), score };
  }).filter((s) => !NOT_CODE.test(lineText(s.path, s.line)));
  const bits = new Map<string, number>();
  if (surprise) {
    for (const path of new Set(suspects.map((s) => s.path))) {
      for (const [line, b] of surprise(path, readFileSync(join(root, path), 'utf8'))) bits.set(`${path}:${line}`, b);
    }
  }
  const b = (s: Suspect) => bits.get(`${s.path}:${s.line}`) ?? 0;
  suspects.sort((x, y) => y.score - x.score || b(y) - b(x) || x.path.localeCompare(y.path) || x.line - y.line);
  return suspects.slice(0, limit);
}
