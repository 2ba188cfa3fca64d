// Public face of fault localisation (issue 10 item 3): V8 block coverage of failing and passing tests,
// Ochiai per source line, line surprise as the tie-breaker.
export { localise, scorerSurprise, isSuspectPath, type LocaliseOptions, type Surprise } from './localise.js';
export { ochiai, ochiaiScores, type Spectrum } from './ochiai.js';
export { LocaliseRunError } from './errors.js';
export type { Exec } from './run-test.js';
export { reachedFiles, testFilesReaching } from './reach.js';
