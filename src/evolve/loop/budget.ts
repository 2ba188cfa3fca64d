// Budgets of a run, parsed from the command line only: "<n>" evaluations, "<m>m" wall minutes, or both
// ("200,30m"). The loop gets a frozen copy and records it in the run; nothing a candidate does can raise it.
import type { Budget } from '../archive/records.js';

/** A budget that is empty, zero, negative or not a budget at all. */
export class InvalidBudgetError extends Error {
  override name = 'InvalidBudgetError';
}

/**
 * Parses a budget spec.
 * @throws InvalidBudgetError for "", "0", "0m", "-3", "abc", "5,6" (two counts) and the like
 * @example parseBudget('200,30m') // { evaluations: 200, minutes: 30 }
 */
export function parseBudget(spec: string): Readonly<Budget> {
  const b: Budget = { evaluations: null, minutes: null };
  const parts = spec.split(',').map((p) => p.trim());
  if (spec.trim() === '') throw new InvalidBudgetError('Cannot run with an empty budget: give --budget <evaluations>[,<minutes>m], e.g. 200,30m');
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(p);
    if (!m) throw new InvalidBudgetError(`Cannot parse budget "${spec}": "${p}" is neither a count of evaluations nor minutes ("30m")`);
    const key = m[2] ? 'minutes' : 'evaluations';
    if (b[key] !== null) throw new InvalidBudgetError(`Cannot parse budget "${spec}": ${key} given twice`);
    const n = Number(m[1]);
    if (!(n > 0) || (key === 'evaluations' && !Number.isInteger(n))) {
      throw new InvalidBudgetError(`Cannot run with budget "${spec}": ${key} must be a positive ${key === 'evaluations' ? 'whole number' : 'number'}, got "${m[1]}"`);
    }
    b[key] = n;
  }
  return checkBudget(b);
}

/** A budget given as data (options, a resumed run): at least one positive bound. @throws InvalidBudgetError */
export function checkBudget(b: Budget): Readonly<Budget> {
  const ok = (v: number | null, int: boolean) => v === null || (Number.isFinite(v) && v > 0 && (!int || Number.isInteger(v)));
  if (!ok(b.evaluations, true) || !ok(b.minutes, false) || (b.evaluations === null && b.minutes === null)) {
    throw new InvalidBudgetError(`Cannot run with budget ${JSON.stringify(b)}: give a positive count of evaluations and/or minutes`);
  }
  return Object.freeze({ evaluations: b.evaluations, minutes: b.minutes });
}
