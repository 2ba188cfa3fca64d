// The failure kinds of the benchmark stage, each with a stable name that callers test.

/** A measurement that is not a positive finite number of CPU milliseconds (NaN, Infinity, zero, negative). */
export class BadMeasurementError extends Error {
  override readonly name = 'BadMeasurementError';
}

/** A workload run that did not finish cleanly: a non-zero exit, a signal or a limit hit. */
export class WorkloadFailedError extends Error {
  override readonly name = 'WorkloadFailedError';
}

/** A benchmark name the registry does not hold, or a second registration of one it does. */
export class UnknownBenchmarkError extends Error {
  override readonly name = 'UnknownBenchmarkError';
}

/** A stage configuration below the evaluator's floor (too few blocks or resamples) or otherwise unusable. */
export class BenchConfigError extends Error {
  override readonly name = 'BenchConfigError';
}

/** A `@tunable` marker that cannot be read: no numeric const after it, a bad range, a value outside it. */
export class TunableMarkerError extends Error {
  override readonly name = 'TunableMarkerError';
}
