// The benchmark stage of the evaluator cascade (issue 10, item 6) and parameter search over declared tunables
// (item 4): benchmarks and their workloads, CPU-time measurements, randomised ABBA with bootstrap intervals,
// the stage's verdict, its composition with the test evaluator for `bench:<name>` targets, the evaluator's build of a candidate, and an unsandboxed local runner.
export { BenchmarkRegistry, type Benchmark } from './registry.js';
export { WORKLOAD_PATHS, WORKLOAD_TREE, benchEnv, projectBenchmarks } from './benchmarks.js';
export { checkMeasurement, type MeasureContext } from './measure.js';
export { compareAbba, formatSummary, type Comparison } from './compare.js';
export { benchmarkStage, type BenchStageOptions, type BenchVerdict } from './stage.js';
export { compileChanges } from './build.js';
export { benchEvaluator, type BenchEvaluatorOptions, type PassToPassRun } from './bench-evaluate.js';
export { ChildRunner, type ChildRunnerOptions } from './child-runner.js';
export { hotSuspects } from './hot-sites.js';
export { findTunables, setTunable, type Tunable } from './tunables.js';
export { ParamSearchProposer } from './param-search.js';
export { BadMeasurementError, BenchConfigError, TunableMarkerError, UnknownBenchmarkError, WorkloadFailedError } from './errors.js';
