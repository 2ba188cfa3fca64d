// The evaluator of a benchmark target (`dialogos evolve run --target bench:<name>`): the test evaluator's
// pass-to-pass stages composed with the benchmark stage, cheapest first. Static gates, typecheck and the direct
// tests of the changed files; then the benchmark stage (ABBA, A/A calibration, re-measured winner) over what the
// tests ran (the evaluator's own emit); and only for a speedup, the import-reached tests. Any failing stage rejects.
import type { Candidate, FileChange } from '../candidate.js';
import type { Evaluation, StageResult, Target } from '../types.js';
import { UnknownBenchmarkError } from './errors.js';
import type { MeasureContext } from './measure.js';
import type { BenchmarkRegistry } from './registry.js';
import { benchmarkStage, type BenchStageOptions } from './stage.js';

/** What the test evaluator gives for a candidate without fail-to-pass tests (evaluate's `passToPass`). */
export interface PassToPassRun {
  stages: StageResult[];
  pass: boolean;
  /** The candidate's files plus the evaluator's compiled dist/ of them. */
  view: FileChange[];
  /** The costlier test stages (import-reached, then unit where configured), run only when asked. */
  later(): Promise<StageResult[]>;
}

export interface BenchEvaluatorOptions extends MeasureContext {
  registry: BenchmarkRegistry;
  /** The test evaluator's pass-to-pass stages (createEvaluator(...).passToPass). */
  passToPass(candidate: Candidate, scope?: string[]): Promise<PassToPassRun>;
  /** Passed to the benchmark stage (blocks, resamples, seed, quick, minSpeedup, log); the evaluator's, never the candidate's. */
  stage?: Pick<BenchStageOptions, 'blocks' | 'resamples' | 'seed' | 'quick' | 'minSpeedup' | 'log'>;
}

const verdict = (candidate: Candidate, stages: StageResult[], fitness: number, accepted: string): Evaluation => {
  const failed = stages.find((s) => !s.pass);
  return {
    candidate, stages, accepted: !failed, fitness: failed ? 0 : fitness,
    reason: failed ? `rejected at ${failed.stage}: ${failed.detail}` : `accepted: ${accepted}; ${stages.length} stages passed`,
  };
};

/**
 * The `evaluate(candidate, target)` of benchmark targets.
 * @throws UnknownBenchmarkError for a target that is not a benchmark the registry holds; BenchConfigError for
 *   stage settings below the floor (20 blocks, 2000 resamples) without `quick`
 */
export function benchEvaluator(o: BenchEvaluatorOptions): (candidate: Candidate, target: Target) => Promise<Evaluation> {
  return async (candidate, target) => {
    if (target.kind !== 'benchmark') throw new UnknownBenchmarkError(`Cannot judge target "${target.origin}" by a benchmark: it is a "${target.kind}" target`);
    o.registry.get(target.benchmark);
    const tests = await o.passToPass(candidate, target.scope);
    if (!tests.pass) return verdict(candidate, tests.stages, 0, '');
    const { runner, lower, env, limits } = o;
    const bench = await benchmarkStage(candidate, {
      runner, lower, env, limits, ...o.stage, registry: o.registry, target: target.benchmark, prepare: () => tests.view,
    });
    const stages = [...tests.stages, bench.result];
    if (!bench.result.pass) return verdict(candidate, stages, 0, '');
    stages.push(...await tests.later());
    return verdict(candidate, stages, bench.fitness, `${bench.result.detail}`);
  };
}
