// What the archive keeps: one record per evaluated candidate (its changes, diff, provenance, tool versions,
// every stage and the decision) and one per run (target, budget, counts, best). Both are plain JSON with a
// schema number, so a later Dialogos reads an older archive.
import type { FileChange } from '../candidate.js';
import type { Provenance, StageName, StageResult, Target } from '../types.js';

/** Versions of what judged the candidate, so a result can be reproduced or distrusted later. */
export interface ToolVersions {
  node: string;
  typescript: string;
  /** The project's commit, when the tree is a git checkout. */
  commit: string | null;
  /** sha256 over the parent tree's source files (what the candidate was judged against). */
  treeDigest: string | null;
}

export type Decision = 'accepted' | 'rejected' | 'error';

export interface CandidateRecord {
  schema: 1;
  id: string;
  run: string;
  /** The parent: a candidate id (c-...) or the base tree ('tree' or a generation id). */
  parent: string;
  /** Whole files relative to the base tree (the parent's changes composed with the proposal's). */
  changes: FileChange[];
  /** Unified diff of `changes`, for people. */
  diff: string;
  description: string;
  provenance: Provenance;
  prior: number;
  tools: ToolVersions;
  stages: StageResult[];
  decision: Decision;
  reason: string;
  fitness: number;
  /** What the loop noted while judging it (malformed input, a proposer's or evaluator's error). */
  logs: string[];
  evaluatedAt: string;
  wallMs: number;
}

export interface Budget {
  /** At most this many evaluations (counted over the whole run, resumes included). */
  evaluations: number | null;
  /** At most this many wall minutes (over the whole run, resumes included). */
  minutes: number | null;
}

export type RunStatus = 'running' | 'met' | 'budget' | 'exhausted' | 'failed';

export interface StageCount { run: number; passed: number }

export interface RunCounts {
  proposed: number;
  duplicates: number;
  malformed: number;
  evaluated: number;
  accepted: number;
  errors: number;
  stages: Partial<Record<StageName, StageCount>>;
}

export interface RunRecord {
  schema: 1;
  id: string;
  /** The target as given (test:..., failing, bench:...) and as resolved. */
  spec: string;
  target: Target;
  budget: Budget;
  proposers: string[];
  /** The base tree the candidates change. */
  base: string;
  seed: number;
  tools: ToolVersions;
  startedAt: string;
  endedAt: string | null;
  /** Wall time spent in this run so far, over every resume. */
  elapsedMs: number;
  status: RunStatus;
  /** Why the run ended (or failed). */
  reason: string;
  counts: RunCounts;
  best: { id: string; fitness: number } | null;
  /** Fitness after each evaluation, in order (for the plot). */
  history: { id: string; fitness: number; accepted: boolean }[];
  logs: string[];
}

/** One line of the append-only index: enough to list and pick parents without reading every record. */
export type IndexEntry =
  | { t: 'candidate'; id: string; run: string; parent: string; decision: Decision; fitness: number; at: string }
  | { t: 'run'; id: string; status: RunStatus; at: string };

export const emptyCounts = (): RunCounts => ({ proposed: 0, duplicates: 0, malformed: 0, evaluated: 0, accepted: 0, errors: 0, stages: {} });
