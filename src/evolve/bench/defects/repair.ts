// Repair at an equal evaluation budget: each arm's first K distinct candidates are judged in its order
// until one passes the defect's killing tests; the first passing one is the arm's repair, exact when it
// is the defect's unique fix (fixKind), plausible when the tests pass with a different text.
import type * as TS from 'typescript';
import { fixKind, type Defect } from '../../defects/index.js';
import type { Proposal } from '../../types.js';
import { takeBudget, type Arm } from './arms.js';
import type { BenchJudge, Validation } from './judge.js';

export type Outcome = 'exact' | 'plausible' | 'none';

export interface ArmResult {
  arm: string;
  outcome: Outcome;
  /** Evaluations spent (at most the budget), and how many candidates the arm had within it. */
  evals: number;
  candidates: number;
  /** Operator of the repair, when one was found, and the defect's first line as the repair leaves it. */
  operator?: string;
  line?: string;
}

export interface RepairOptions { ts: typeof TS; judge: BenchJudge; arms: Arm[]; evals: number; seed: number }

/** Repairs one validated defect with every arm; the verdict of a text is judged once and shared. */
export async function repairDefect(d: Defect, v: Validation, pool: Proposal[], o: RepairOptions): Promise<ArmResult[]> {
  const verdicts = new Map<string, Promise<boolean>>();
  const judged = (text: string): Promise<boolean> => {
    let r = verdicts.get(text);
    if (!r) { r = o.judge.repairs(d, v, text); verdicts.set(text, r); }
    return r;
  };
  const out: ArmResult[] = [];
  for (const arm of o.arms) {
    const picks = takeBudget(await arm.order(pool, d, o.seed), d, o.evals);
    let result: ArmResult = { arm: arm.name, outcome: 'none', evals: picks.length, candidates: picks.length };
    for (let i = 0; i < picks.length; i++) {
      if (!await judged(picks[i]!.text)) continue;
      const kind = fixKind(o.ts, d, [{ path: d.file, before: d.change.after, after: picks[i]!.text }]);
      result = { arm: arm.name, outcome: kind === 'exact' ? 'exact' : 'plausible', evals: i + 1, candidates: picks.length, operator: picks[i]!.operator,
        line: picks[i]!.text.split('\n')[d.line - 1] ?? '' };
      break;
    }
    out.push(result);
  }
  return out;
}
