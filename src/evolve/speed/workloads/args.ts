// The one argument every workload takes: how often to repeat its hot path (the benchmark's repetition count).

/** @throws RangeError when the last argument is not a positive integer */
export function repetitionsArg(argv: readonly string[]): number {
  const n = Number(argv.at(-1));
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Cannot run the workload: repetitions "${argv.at(-1)}" is not a positive integer`);
  return n;
}
