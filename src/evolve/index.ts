// The self-improvement loop (issue 10): its contracts (types.ts) and the static gates (what a candidate may
// touch and newly do).
export type * from './types.js';
export type { Candidate, FileChange, Violation } from './candidate.js';
export { candidateId, makeCandidate, runStaticGates } from './gates.js';
export type { GateVerdict } from './gates.js';
export { PROTECTED_PATHS, isJudgeFile, isProtected } from './paths-gate.js';
export type { ScopeLimits } from './paths-gate.js';
export { createSandboxRunner, SandboxUnavailableError } from './sandbox/index.js';
export * as speed from './speed/index.js';
// Fault localisation and the proposers (issue 10 items 3, 4).
export { localise, reachedFiles, testFilesReaching } from './localise/index.js';
export {
  mutationProposer, templateProposer, copyProposer, identifierProposer, rankedProposer, chatProposer, combinedProposer,
  ngramSpanScorer, trainNgram, ChatRequestError,
} from './propose/index.js';
// The archive, the loop and what the CLI group `dialogos evolve` needs of them (src/evolve/archive, src/evolve/loop).
export { openArchive } from './archive/archive.js';
export type { Archive } from './archive/archive.js';
export { unifiedDiffAll } from './archive/diff.js';
export type { Budget, CandidateRecord, RunRecord, ToolVersions } from './archive/records.js';
export { parseBudget } from './loop/budget.js';
export { resolveTarget, failingFromRecords } from './loop/target-spec.js';
export type { FailingTests } from './loop/target-spec.js';
export { runLoop } from './loop/loop.js';
export type { Evaluate } from './loop/loop.js';
export { progressLine, stageSummary } from './loop/progress.js';
// Promotion (item 8): preparePromotion, provenancePath and the ledger of promotion outcomes (rolled back, blessed).
export * as promotion from './loop/promotion.js';
export * as evaluate from './evaluate/index.js';
// The seeded defects of the benchmark (bench/evolve/defects.sh, src/evolve/bench/defects): seeding, split, validation, fix kind.
export * as defects from './defects/index.js';
