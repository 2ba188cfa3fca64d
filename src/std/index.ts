// src/std: the base layer every subsystem may use. It imports no other subsystem, holds no state and knows
// nothing of Dialogos's data model: durable file writes, the HTTP plumbing (JSON bodies, SSE) of both APIs, and
// the statistics of paired benchmarks.
export { writeFileAtomic, writeFileAtomicSync, fsyncDir, fsyncDirSync, type AtomicData } from './atomic.js';
export { readJsonBody, sendJson, startSse, writeSse, type BodyErrors, type JsonBodyOptions } from './http.js';
export { abbaSchedule, geoMean, median, randomAbbaSchedule, seededRandom, summarizeRatios, type RatioSummary } from './stats.js';
