// The self-improvement loop (issue 10): its contracts (types.ts) and the static gates (what a candidate may
// touch and newly do).
export type * from './types.js';
export type { Candidate, FileChange, Violation } from './candidate.js';
export { candidateId, makeCandidate, runStaticGates } from './gates.js';
export type { GateVerdict } from './gates.js';
export { PROTECTED_PATHS, isJudgeFile, isProtected } from './paths-gate.js';
export type { ScopeLimits } from './paths-gate.js';
export * as evaluate from './evaluate/index.js';
