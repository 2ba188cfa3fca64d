// Generates the benchmark's defects: seeded only in files the ranking models never trained on (src/train's
// held-out split) that have direct tests, first-order and the higher-order tier, deduplicated by seedDefects,
// then split by file into the benchmark's held-out and dev sides (stratified by subsystem; operators follow).
import type * as TS from 'typescript';
import { modelHeldOutFiles, seedDefects, splitDefects, stratifiedFileSplit, strata, type Defect } from '../../defects/index.js';
import { importGraph, selectTests } from '../../evaluate/graph.js';

export interface Generated {
  /** Files seeded: model-held-out production files with at least one direct test file. */
  files: string[];
  /** Model-held-out production files left out for having no direct test file. */
  untested: number;
  heldOutFiles: Set<string>;
  /** Every defect in validation order (first-order and higher-order interleaved 3 : 1), with its side. */
  defects: Array<{ d: Defect; side: 'held-out' | 'dev' }>;
  strata: ReturnType<typeof strata>;
}

const production = (f: string): boolean => f.startsWith('src/') && f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('src/testkit/');

/** Interleaves `b` into `a`, one of `b` after every `every` of `a`. */
function interleave<T>(a: T[], b: T[], every: number): T[] {
  const out: T[] = [];
  let j = 0;
  a.forEach((x, i) => { out.push(x); if ((i + 1) % every === 0 && j < b.length) out.push(b[j++]!); });
  return [...out, ...b.slice(j)];
}

export function generate(ts: typeof TS, o: { root: string; seed: number; firstOrder: number; higherOrder: number }): Generated {
  const g = importGraph(ts, o.root, []);
  const held = [...modelHeldOutFiles(o.root)].filter(production).sort();
  const files = held.filter((f) => selectTests(g, [f]).direct.length > 0);
  const all = seedDefects(ts, { root: o.root, files, seed: o.seed, count: o.firstOrder, higherOrder: o.higherOrder });
  const heldOutFiles = stratifiedFileSplit(files, { fraction: 0.5, seed: o.seed });
  const split = splitDefects(all, heldOutFiles);
  const side = (d: Defect) => (split.heldOut.includes(d) ? 'held-out' as const : 'dev' as const);
  const order = interleave(all.filter((d) => d.tier === 'first-order'), all.filter((d) => d.tier === 'higher-order'), 3);
  return { files, untested: held.length - files.length, heldOutFiles, defects: order.map((d) => ({ d, side: side(d) })), strata: strata(all) };
}
