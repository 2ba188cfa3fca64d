// The evaluator cascade's test stages (issue 10 item 6): static gates, warm typecheck with the evaluator's own
// emit, fail-to-pass (rerun against flaky wins), direct, import-reached and unit tests, each judged against
// the parent's run of the same files (names, counts, a canary, pass-to-pass). And the unsandboxed local Runner.
export { createEvaluator } from './evaluator.js';
export type { Evaluator, EvaluatorOptions, PassToPass } from './evaluator.js';
export { createLocalRunner } from './local-runner.js';
export type { LocalRunnerOptions } from './local-runner.js';
export { importGraph, selectTests, isUnitTest } from './graph.js';
export type { ImportGraph, TestSelection } from './graph.js';
export { parseRecords } from './records.js';
export type { TestRecord, TestStatus } from './records.js';
export { treeDigest } from './parent.js';
export * from './errors.js';
export { SELF_TEST_NEEDS, selfTestGaps } from './self-test.js';
export type { SelfTestNeed } from './self-test.js';
