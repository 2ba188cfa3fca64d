// The run record as the loop keeps it: made at the start, rebuilt from the archive on a resume (the archive
// is the truth: the run record may lag it by the one candidate a kill -9 interrupted), and updated by each
// recorded candidate.
import { randomBytes } from 'node:crypto';
import type { Archive } from '../archive/archive.js';
import { emptyCounts, type Budget, type CandidateRecord, type RunRecord, type ToolVersions } from '../archive/records.js';
import type { Target } from '../types.js';

export interface NewRun {
  spec: string;
  target: Target;
  budget: Readonly<Budget>;
  proposers: string[];
  base: string;
  seed: number;
  tools: ToolVersions;
  now: Date;
}

export const newRunId = (now: Date): string => `r-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase()}-${randomBytes(3).toString('hex')}`;

export function newRun(o: NewRun): RunRecord {
  return {
    schema: 1, id: newRunId(o.now), spec: o.spec, target: o.target, budget: { ...o.budget }, proposers: o.proposers,
    base: o.base, seed: o.seed, tools: o.tools, startedAt: o.now.toISOString(), endedAt: null, elapsedMs: 0,
    status: 'running', reason: '', counts: emptyCounts(), best: null, history: [], logs: [],
  };
}

/** Adds one recorded candidate to the run's counts, history and best. */
export function countCandidate(run: RunRecord, rec: CandidateRecord): void {
  const c = run.counts;
  c.evaluated++;
  if (rec.decision === 'accepted') c.accepted++;
  if (rec.decision === 'error') c.errors++;
  if (rec.logs.some((l) => l.startsWith('refused before evaluation'))) c.malformed++;
  for (const s of rec.stages) {
    const n = (c.stages[s.stage] ??= { run: 0, passed: 0 });
    n.run++;
    if (s.pass) n.passed++;
  }
  run.history.push({ id: rec.id, fitness: rec.fitness, accepted: rec.decision === 'accepted' });
  if (rec.decision === 'accepted' && (!run.best || rec.fitness > run.best.fitness)) run.best = { id: rec.id, fitness: rec.fitness };
}

/** The run `id` with counts, history and best recomputed from the archive's records of it. */
export function rebuildRun(archive: Archive, id: string): RunRecord {
  const run = archive.getRun(id);
  const kept = { proposed: run.counts.proposed, duplicates: run.counts.duplicates };
  Object.assign(run, { counts: emptyCounts(), history: [], best: null });
  for (const e of archive.candidates(id)) countCandidate(run, archive.getCandidate(e.id));
  run.counts.proposed = Math.max(kept.proposed, run.counts.evaluated);
  run.counts.duplicates = kept.duplicates;
  return run;
}

/** Whether `rec` meets the run's target: every fail-to-pass test fixed, or an accepted speedup. */
export function meetsTarget(target: Target, rec: CandidateRecord): boolean {
  if (rec.decision !== 'accepted') return false;
  return target.kind === 'tests' ? rec.fitness >= target.failToPass.length : true;
}
