// The journal's public face: structured, crash-safe, rotated, queryable and followable logs.
export { openJournal, openJournalReader, DEFAULT_MAX_BYTES } from './journal.js';
export type { Journal, JournalOptions, JournalReader, JournalStats } from './journal.js';
export type { FollowOptions } from './follow.js';
export { createLineSink, entryBytes, streamBytes } from './sink.js';
export type { LineSink, LineSinkOptions, LineSinkStats } from './sink.js';
export { parseTime, compileQuery } from './filter.js';
export { nodeJournalFs, journalFsOver } from './jfs.js';
export type { JournalFs } from './jfs.js';
export { LEVELS, levelRank, isLevel } from './types.js';
export type { Level, EntryInput, JournalEntry, JournalQuery, TimeSpec } from './types.js';
export { crc32 } from './crc32.js';
export { UNIT_PATTERN, MAX_MESSAGE_CHARS, MAX_FIELD_CHARS, MAX_FIELDS } from './entry.js';
export * from './errors.js';
