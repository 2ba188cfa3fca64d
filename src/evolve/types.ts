// The contracts between the parts of the self-improvement loop: targets, proposers, the sandbox, the
// evaluator cascade and the archive. Each part lives in its own folder of src/evolve and depends on these
// types only, so that the loop (loop.ts) composes them and tests can put a real part beside another.
import type { Candidate, FileChange, Violation } from './candidate.js';

/** One test as the runner's per-test records name it (scripts/test-reporter.mjs). */
export interface TestRef {
  /** Source file that defines the test, relative to the tree's root (src/x/y.test.ts). */
  file: string;
  /** Full name: describe path and test name joined with ' > '. */
  name: string;
}

/** What a run of the loop tries to improve. */
export type Target =
  | {
    kind: 'tests';
    /** Tests failing on the parent that the candidate must make pass. */
    failToPass: TestRef[];
    /** Path prefixes the candidate may change (default ['src/']). */
    scope?: string[];
    /** Where the target came from: a failing test, a seeded defect id, a request from the dialog. */
    origin: string;
  }
  | {
    kind: 'benchmark';
    /** Name of a benchmark the evaluator knows (src/evolve/evaluate). */
    benchmark: string;
    scope?: string[];
    origin: string;
  };

/** A place suspected of holding the defect, from fault localisation (most suspicious first). */
export interface Suspect {
  path: string;
  /** 1-based line. */
  line: number;
  /** Ochiai suspiciousness in [0, 1] (ties broken by line surprise). */
  score: number;
}

/** Where a proposal came from, recorded in the archive with the candidate. */
export interface Provenance {
  proposer: string;
  /** Operator or template name (e.g. 'swap-binary-operator'). */
  operator: string;
  model?: { id: string; weightsDigest: string };
  prompt?: string;
  seed?: number;
}

export interface Proposal {
  changes: FileChange[];
  description: string;
  provenance: Provenance;
  /** The proposer's own prior (higher is likelier); orders the queue, never decides acceptance. */
  prior: number;
}

export interface ProposeContext {
  /** The parent tree's root (read-only for proposers). */
  root: string;
  target: Target;
  suspects: Suspect[];
  /** At most this many proposals. */
  limit: number;
  seed: number;
}

/** A source of candidate changes; every proposer (templates, mutation, copy, models) has this face. */
export interface Proposer {
  readonly name: string;
  propose(ctx: ProposeContext): AsyncIterable<Proposal>;
}

export type StageName = 'static' | 'typecheck' | 'fail-to-pass' | 'direct' | 'import-reached' | 'unit' | 'benchmark' | 'held-out';

export interface StageResult {
  stage: StageName;
  pass: boolean;
  /** Wall and CPU time of the stage (CPU of whole processes where it ran any). */
  wallMs: number;
  cpuMs: number;
  /** One line a person reads: what passed or failed and why. */
  detail: string;
  violations?: Violation[];
  /** Tests that failed in this stage. */
  failed?: TestRef[];
}

export interface Evaluation {
  candidate: Candidate;
  stages: StageResult[];
  accepted: boolean;
  /** The first failing stage's detail, or why it was accepted. */
  reason: string;
  /** Higher is better: tests fixed for a tests target, the speedup's lower bound for a benchmark. */
  fitness: number;
}

/** Resource limits of one sandboxed run. */
export interface SandboxLimits {
  wallMs: number;
  memoryBytes: number;
  pids: number;
  /** Largest file the run may write (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Size of the writable tmpfs the run gets as /tmp. */
  tmpBytes: number;
}

/** One command run against a candidate's tree: the parent tree read-only, the candidate's files over it. */
export interface RunRequest {
  /** The parent tree (never written) and the files that differ in the candidate's view of it. */
  tree: { lower: string; changes: FileChange[] };
  argv: string[];
  /** Working directory relative to the tree's root (default: the root). */
  cwd?: string;
  /** The whole environment of the run (nothing is inherited). */
  env: Record<string, string>;
  limits: SandboxLimits;
  /** A host folder the run sees writable at the same path (where a runner writes its results). */
  outDir?: string;
}

export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  /** Which limit ended the run, if one did. */
  limitHit: 'wall' | 'memory' | 'pids' | 'file' | null;
  wallMs: number;
  /** CPU time (user + system) of every process of the run. */
  cpuMs: number;
  peakMemoryBytes: number | null;
  stdout: string;
  stderr: string;
}

/** Runs commands against candidate trees; the sandbox implements it (src/evolve/sandbox). */
export interface Runner {
  run(req: RunRequest): Promise<RunResult>;
}
