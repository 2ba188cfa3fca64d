// Splitting a defect benchmark by file, so no file lends defects to both sides: the held-out side is the
// files the ranking models never trained on (src/train's corpus split, SPLIT_SEED), or, for a fresh split,
// a seeded share of each subsystem's files (stratified by subsystem; operators follow the sampling).
import { loadCorpus } from '../../train/index.js';
import { SeededRandom } from './rng.js';
import { subsystemOf } from './seed.js';
import type { Defect } from './types.js';

/** Files of `root` in the corpus's held-out split: what the default model (and a 5-gram on its split) never saw. */
export function modelHeldOutFiles(root: string): Set<string> {
  return new Set(loadCorpus(root).heldOut.map((f) => f.path));
}

/** A seeded share of each subsystem's files, for a split of one's own (e.g. to retrain models without it). */
export function stratifiedFileSplit(files: string[], o: { fraction: number; seed: number }): Set<string> {
  const rng = new SeededRandom(o.seed);
  const bySub = new Map<string, string[]>();
  for (const f of [...files].sort()) {
    if (!bySub.has(subsystemOf(f))) bySub.set(subsystemOf(f), []);
    bySub.get(subsystemOf(f))!.push(f);
  }
  const out = new Set<string>();
  for (const sub of [...bySub.keys()].sort()) {
    const fs = rng.shuffle(bySub.get(sub)!);
    for (const f of fs.slice(0, Math.round(fs.length * o.fraction))) out.add(f);
  }
  return out;
}

export interface DefectSplit {
  heldOut: Defect[];
  dev: Defect[];
}

/** Puts each defect on the side of its file. */
export function splitDefects(defects: Defect[], heldOutFiles: Set<string>): DefectSplit {
  return { heldOut: defects.filter((d) => heldOutFiles.has(d.file)), dev: defects.filter((d) => !heldOutFiles.has(d.file)) };
}

/** Counts per operator and per subsystem, for the benchmark's report. */
export function strata(defects: Defect[]): { operators: Record<string, number>; subsystems: Record<string, number>; tiers: Record<string, number> } {
  const count = (key: (d: Defect) => string) => {
    const m: Record<string, number> = {};
    for (const d of defects) m[key(d)] = (m[key(d)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
  };
  return { operators: count((d) => d.operator), subsystems: count((d) => d.subsystem), tiers: count((d) => d.tier) };
}
