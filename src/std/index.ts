// src/std: the base layer every subsystem may use. It imports no other subsystem, holds no state and knows
// nothing of Dialogos's data model: durable file writes, and the HTTP plumbing (JSON bodies, SSE) of both APIs.
export { writeFileAtomic, writeFileAtomicSync, fsyncDir, fsyncDirSync, type AtomicData } from './atomic.js';
export { readJsonBody, sendJson, startSse, writeSse, type BodyErrors, type JsonBodyOptions } from './http.js';
