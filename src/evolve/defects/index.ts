// Public face of the seeded-defect generator (for bench/evolve): first-order and higher-order defects in
// the project's own files, their split by file, and validation by an evaluator given as a function.
export { seedDefects, subsystemOf, type SeedOptions } from './seed.js';
export { modelHeldOutFiles, stratifiedFileSplit, splitDefects, strata, type DefectSplit } from './split.js';
export { fixKind } from './fix-kind.js';
export { validateDefects, type ValidateDefect, type Validated } from './validate.js';
export type { Defect, Mutation } from './types.js';
