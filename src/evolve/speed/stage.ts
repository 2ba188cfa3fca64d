// The benchmark stage of the evaluator cascade. A candidate is accepted as a speedup only when
//  1. an A/A run (parent against parent) shows the host can tell nothing apart (its interval holds 1),
//  2. randomised ABBA blocks of the target benchmark give a geometric-mean ratio parent/candidate whose
//     bootstrap interval lies above `minSpeedup` (1.03) and above the A/A interval's upper bound (what noise
//     alone gave the parent against itself in the same design, on the same host, just before),
//  3. no other registered benchmark's interval lies below 1 (a slowdown elsewhere rejects), and
//  4. a second, independent ABBA of the target on fresh runs (another seed) confirms 2.
// Before 1, one run of each side must print the same results (a cheap refusal of candidates computing otherwise).
// Everything the stage runs with (limits, blocks, environment) is the evaluator's; the candidate gives files only.
// Every test below is written so that NaN fails it (`!(x > min)`), never passes it.
import type { Candidate, FileChange } from '../candidate.js';
import type { StageResult } from '../types.js';
import { compareAbba, formatSummary, type Comparison, type CompareOptions } from './compare.js';
import { BadMeasurementError, BenchConfigError, WorkloadFailedError } from './errors.js';
import { measureOnce, type MeasureContext } from './measure.js';
import type { Benchmark, BenchmarkRegistry } from './registry.js';

export interface BenchStageOptions extends MeasureContext {
  registry: BenchmarkRegistry;
  /** The benchmark the candidate must speed up. */
  target: string;
  /** ABBA blocks per comparison (default and floor 20; see `quick`). */
  blocks?: number;
  /** Bootstrap resamples (default and floor 2000). */
  resamples?: number;
  seed?: number;
  /** The interval's lower bound must lie above this (default 1.03). */
  minSpeedup?: number;
  /** Allows fewer than 20 blocks, for unit tests only; the verdict's detail says so. */
  quick?: boolean;
  /** The evaluator's build of the candidate (e.g. compileChanges); default: the changes as they are. */
  prepare?: (changes: FileChange[]) => FileChange[];
  log?: (line: string) => void;
}

export interface BenchVerdict {
  result: StageResult;
  /** The lesser lower bound of the target's two A/B intervals when accepted, else 0. */
  fitness: number;
  /** The A/A run could tell the parent from itself: the stage refused to judge. */
  noisy: boolean;
  calibration: Comparison | null;
  /** A/B comparisons in the order run: target, other benchmarks, the target's confirmation. */
  comparisons: Comparison[];
}

type Judged = Omit<BenchVerdict, 'result'> & { pass: boolean; detail: string };

function settings(o: BenchStageOptions): { blocks: number; resamples: number; seed: number; min: number } {
  const blocks = o.blocks ?? 20;
  const resamples = o.resamples ?? 2000;
  if (!Number.isInteger(blocks) || blocks < (o.quick ? 2 : 20)) throw new BenchConfigError(`Cannot run the benchmark stage with ${blocks} ABBA blocks: at least ${o.quick ? 2 : 20} are needed`);
  if (!Number.isInteger(resamples) || resamples < 2000) throw new BenchConfigError(`Cannot run the benchmark stage with ${resamples} bootstrap resamples: at least 2000 are needed`);
  return { blocks, resamples, seed: o.seed ?? 1, min: o.minSpeedup ?? 1.03 };
}

/** Why the stage refuses to run the candidate at all: it touches the benchmarks' own files or build output. */
function trespass(changes: readonly FileChange[], benchmarks: readonly Benchmark[]): string | null {
  for (const c of changes) {
    if (c.path.startsWith('dist/')) return `the candidate supplies build output "${c.path}"; the evaluator builds`;
    const b = benchmarks.find((x) => x.own.some((p) => c.path.startsWith(p)));
    if (b) return `the candidate changes "${c.path}", part of benchmark "${b.name}"`;
  }
  return null;
}

/** One run of each side first: a candidate that computes other results is refused before the costly ABBA runs. */
async function probe(o: BenchStageOptions, b: Benchmark, changes: FileChange[], label: string): Promise<string | null> {
  const [p, c] = [await measureOnce(o, b, [], 'parent'), await measureOnce(o, b, changes, label)];
  return p.stdout === c.stdout ? null : `the ${label} printed other results than the parent on benchmark "${b.name}" (${JSON.stringify(c.stdout.slice(0, 120))})`;
}

async function judge(candidate: Candidate, o: BenchStageOptions): Promise<Judged> {
  const s = settings(o);
  const target = o.registry.get(o.target);
  const none: Judged = { pass: false, detail: '', fitness: 0, noisy: false, calibration: null, comparisons: [] };
  const refused = trespass(candidate.changes, o.registry.list());
  if (refused) return { ...none, detail: `Refused: ${refused}` };
  const parent = { label: 'parent', changes: [] as FileChange[] };
  const child = { label: `candidate ${candidate.id}`, changes: (o.prepare ?? ((c) => c))(candidate.changes) };
  const opts = (seed: number): CompareOptions => ({ blocks: s.blocks, resamples: s.resamples, seed, log: o.log });
  const differs = await probe(o, target, child.changes, child.label);
  if (differs) return { ...none, detail: `Rejected: ${differs}` };
  const calibration = await compareAbba(o, target, parent, parent, opts(s.seed));
  if (!calibration.summary.includesOne) {
    return { ...none, noisy: true, calibration, detail: `Host too noisy to judge: A/A ${target.name} ${formatSummary(calibration.summary)} excludes 1` };
  }
  const v: Judged = { ...none, calibration };
  // The floor accounts for the calibration: a lower bound noise alone reached on this host proves nothing.
  const floor = Math.max(s.min, calibration.summary.ci[1]);
  const aa = `(A/A ${formatSummary(calibration.summary)}, floor ${floor.toFixed(3)})`;
  const first = await compareAbba(o, target, parent, child, opts(s.seed + 1));
  v.comparisons.push(first);
  if (!(first.summary.ci[0] > floor)) return { ...v, detail: `No speedup: ${target.name} ${formatSummary(first.summary)}, lower bound not above ${floor.toFixed(3)} ${aa}` };
  for (const [i, b] of o.registry.list().filter((x) => x !== target).entries()) {
    const c = await compareAbba(o, b, parent, child, opts(s.seed + 2 + i));
    v.comparisons.push(c);
    if (!(c.summary.ci[1] >= 1)) return { ...v, detail: `Slowdown elsewhere: ${b.name} ${formatSummary(c.summary)} lies below 1 ${aa}` };
  }
  const confirm = await compareAbba(o, target, parent, child, opts(s.seed + 1000));
  v.comparisons.push(confirm);
  const others = v.comparisons.slice(1, -1).map((c) => `; ${c.benchmark} ${formatSummary(c.summary)}`).join('');
  const both = `${target.name} ${formatSummary(first.summary)}, re-measured ${formatSummary(confirm.summary)}${others}`;
  if (!(confirm.summary.ci[0] > floor)) return { ...v, detail: `Not confirmed on fresh runs: ${both} ${aa}` };
  const quick = s.blocks < 20 ? ` (quick: ${s.blocks} blocks, not promotion grade)` : '';
  return { ...v, pass: true, fitness: Math.min(first.summary.ci[0], confirm.summary.ci[0]), detail: `Speedup: ${both} ${aa}${quick}` };
}

const MEASUREMENT_ERRORS = new Set([BadMeasurementError.name, WorkloadFailedError.name]);

/**
 * Runs the benchmark stage on `candidate`.
 * @throws BenchConfigError for too few blocks or resamples; UnknownBenchmarkError for an unknown target.
 *   A failed or unusable measurement is not thrown: it rejects the candidate with the reason.
 */
export async function benchmarkStage(candidate: Candidate, o: BenchStageOptions): Promise<BenchVerdict> {
  const started = performance.now();
  let j: Judged;
  try {
    j = await judge(candidate, o);
  } catch (e) {
    if (!(e instanceof Error) || !MEASUREMENT_ERRORS.has(e.name)) throw e;
    j = { pass: false, detail: `Rejected: ${e.message}`, fitness: 0, noisy: false, calibration: null, comparisons: [] };
  }
  const cpuMs = [j.calibration, ...j.comparisons].reduce((t, c) => t + (c?.cpuMs ?? 0), 0);
  const result: StageResult = { stage: 'benchmark', pass: j.pass, wallMs: performance.now() - started, cpuMs, detail: j.detail };
  const { pass: _p, detail: _d, ...rest } = j;
  return { result, ...rest };
}
