// Validation of seeded defects is the evaluator's (src/evolve/evaluate): this module only runs a given
// `validate` over the defects, at a bounded concurrency, and keeps the ones it accepts, in order.
import type { Defect } from './types.js';

/**
 * Decides whether a seeded defect is a real one. The benchmark's validate (issue 10) must say true only
 * when the defect's change (1) typechecks, (2) is killed: some test that passes on the original three
 * times in a row fails with the change, and (3) causes no collateral failures: no test that fails with
 * the change is flaky or failing on the original. It must not throw for a bad defect (say false).
 */
export type ValidateDefect = (d: Defect) => Promise<boolean>;

export interface Validated {
  valid: Defect[];
  rejected: Defect[];
}

/**
 * Runs `validate` over `defects` (at most `concurrency` at once, default 1) and splits them.
 * @throws whatever `validate` throws (an evaluator that cannot run at all)
 */
export async function validateDefects(defects: Defect[], validate: ValidateDefect, o: { concurrency?: number } = {}): Promise<Validated> {
  const verdicts = new Array<boolean>(defects.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < defects.length) {
      const i = next++;
      verdicts[i] = await validate(defects[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 1) }, worker));
  return { valid: defects.filter((_, i) => verdicts[i]), rejected: defects.filter((_, i) => !verdicts[i]) };
}
