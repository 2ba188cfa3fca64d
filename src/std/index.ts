// src/std: the base layer every subsystem may use. It imports no other subsystem, holds no state and knows
// nothing of Dialogos's data model: durable file writes, and (later) other plumbing shared across layers.
export { writeFileAtomic, writeFileAtomicSync, fsyncDir, fsyncDirSync, type AtomicData } from './atomic.js';
