// Named errors of the evaluator cascade: callers test `err.name`, people read `err.message`. A candidate that
// fails a stage is not an error (it is a rejected Evaluation); these are the evaluator's own failures.

/** Base of every error the evaluator throws on purpose. */
export class EvaluateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The candidate's view of the tree could not be built (a path escapes it, a parent file is unreadable). */
export class TreeMaterialiseError extends EvaluateError {}
/** A per-test records file is missing, not JSON, or holds malformed or duplicated records. */
export class TestRecordsError extends EvaluateError {}
/** The parent's own run of a test file is unusable (no canary failure, bad records): nothing can be judged. */
export class ParentBaselineError extends EvaluateError {}
/** A fail-to-pass test of the target is not among the tests the parent's run of its file reported. */
export class UnknownTargetTestError extends EvaluateError {}
/** A fail-to-pass test of the target already passes on the parent. */
export class TargetNotFailingError extends EvaluateError {}
/** The parent's tsconfig.json cannot be read or parsed. */
export class TypecheckSetupError extends EvaluateError {}
/** The target is of a kind this evaluator does not judge (benchmarks are the speed stage's). */
export class UnsupportedTargetError extends EvaluateError {}
/** A run request the local runner refuses (a limit that is not a positive integer). */
export class RunRequestError extends EvaluateError {}
