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
// Fault localisation, the proposers and the seeded-defect generator (issue 10 items 3, 4; bench/evolve).
export { localise, scorerSurprise, LocaliseRunError } from './localise/index.js';
export type { LocaliseOptions, Surprise } from './localise/index.js';
export {
  mutationProposer, templateProposer, copyProposer, identifierProposer, rankedProposer, chatProposer, ngramSpanScorer,
  modelSpanScorer, trainNgram, MUTATION_OPERATORS, ChatRequestError,
} from './propose/index.js';
export type { ChatOptions, ChatStats, SpanScorer } from './propose/index.js';
export { seedDefects, splitDefects, modelHeldOutFiles, stratifiedFileSplit, validateDefects, fixKind } from './defects/index.js';
export type { Defect, ValidateDefect } from './defects/index.js';
