// The line a long run prints every so often: how many candidates each stage saw and passed, the best
// fitness so far and the rate, so a person watching knows whether it is worth waiting.
import type { RunRecord } from '../archive/records.js';
import type { StageName } from '../types.js';

export const STAGE_ORDER: readonly StageName[] = ['static', 'typecheck', 'fail-to-pass', 'direct', 'import-reached', 'unit', 'benchmark', 'held-out'];

/** "stage passed/run" for each stage any candidate reached. */
export function stageSummary(run: RunRecord): string {
  return STAGE_ORDER.filter((s) => run.counts.stages[s]).map((s) => `${s} ${run.counts.stages[s]!.passed}/${run.counts.stages[s]!.run}`).join(', ');
}

export function progressLine(run: RunRecord): string {
  const c = run.counts;
  const hours = run.elapsedMs / 3_600_000;
  const rate = hours > 0 ? (c.evaluated / hours).toFixed(1) : '-';
  const best = run.best ? `${run.best.fitness} (${run.best.id})` : 'none';
  const budget = [run.budget.evaluations === null ? null : `${c.evaluated}/${run.budget.evaluations} evaluations`,
    run.budget.minutes === null ? null : `${(run.elapsedMs / 60_000).toFixed(1)}/${run.budget.minutes} min`].filter(Boolean).join(', ');
  const stages = stageSummary(run);
  return `evolve ${run.id}: ${budget}; ${c.accepted} accepted, ${c.malformed} malformed, ${c.duplicates} duplicates; best ${best}; ${rate} evaluations/hour${stages ? `; ${stages}` : ''}`;
}
