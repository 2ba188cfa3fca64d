// What the dialog asks of the self-improvement loop (src/evolve): its archive of runs and candidates, and
// the three changes a person may ask for (start a run, stop it, promote a candidate). Injected like OsTools:
// the composition root (src/cli/evolve-dialog.ts) binds it to the archive and the `dialogos evolve` command.
import type { CandidateRecord, RunRecord } from '../evolve/index.js';
import type { PlannedCall } from './types.js';

/** A state change of the loop, as the dialog plans it before asking y/N. */
export type EvolveOp =
  | { kind: 'start'; target: string; budget: string }
  | { kind: 'stop'; run?: string }
  | { kind: 'promote'; candidate: string; tries: number };

/** A run with the process that writes it (null: finished, or interrupted and resumable). */
export interface EvolveRunView {
  run: RunRecord;
  holder: number | null;
  /** The loop's own progress line (the one `dialogos evolve run` prints): budget, rate, stages. */
  progress: string;
}

export interface EvolveTools {
  /**
   * The exact command `op` runs, after checking its input (target, budget, run, candidate).
   * @throws an error naming the offending value: an unknown target, an empty budget, a candidate not in the archive
   */
  describe(op: EvolveOp): PlannedCall;
  /** Starts `dialogos evolve run` in the background; resolves once the run is recorded (or with why it did not start). */
  start(target: string, budget: string, onLine: (line: string) => void): Promise<string>;
  /** Stops the process writing run `run` (default: the live one); resolves when it has ended. */
  stop(run?: string): Promise<string>;
  /** Builds an accepted candidate into a new signed generation staged with `tries`. */
  promote(candidate: string, tries: number, onLine: (line: string) => void): Promise<string>;
  /** Every run, oldest first. */
  runs(): Promise<RunRecord[]>;
  /** One run by id or prefix, or the latest when none is given. @throws when the archive has none */
  run(id?: string): Promise<EvolveRunView>;
  /** Candidates, in the order evaluated: of one run, or only the accepted ones. */
  candidates(q: { run?: string; accepted?: boolean }): Promise<CandidateRecord[]>;
  /** One candidate by id or prefix. @throws when it names none */
  candidate(id: string): Promise<CandidateRecord>;
}
