// The journal's public face: structured, crash-safe, rotated, queryable and followable logs. Only what
// dialogosd, the API and the CLI use; the tests reach the modules themselves.
export { openJournal, openJournalReader } from './journal.js';
export type { Journal, JournalOptions, JournalReader, JournalStats } from './journal.js';
export { entryBytes, streamBytes } from './sink.js';
export type { LineSink } from './sink.js';
export { parseTime } from './filter.js';
export type { Level, JournalEntry, JournalQuery } from './types.js';
export * from './errors.js';
