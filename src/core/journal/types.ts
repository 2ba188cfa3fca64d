// The data model of the journal: what a caller writes, what a reader gets back, and how levels rank.

/** Severity, lowest first; a query's `minLevel` keeps this level and everything above it. */
export const LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'crit'] as const;
export type Level = (typeof LEVELS)[number];

export const levelRank = (l: Level): number => LEVELS.indexOf(l);
export const isLevel = (v: unknown): v is Level => typeof v === 'string' && (LEVELS as readonly string[]).includes(v);

/** What `journal.write` takes; the journal adds `seq` and `time`. */
export interface EntryInput {
  /** The service or component: letters, digits and `@._:-`, 1 to 128 characters. */
  unit: string;
  /** Default 'info'. */
  level?: Level;
  message: string;
  /** String values only, so that every reader sees the same types. */
  fields?: Record<string, string>;
}

/** A stored entry. `seq` grows by one per entry across restarts and rotation; `time` is the wall clock (ISO). */
export interface JournalEntry {
  seq: number;
  time: string;
  unit: string;
  level: Level;
  message: string;
  fields: Record<string, string>;
}

/** A time bound: ISO date, epoch milliseconds, a Date, `now`, or relative (`-10m`, `1h` = ago; `+5m` = ahead). */
export type TimePoint = string | number | Date;

export interface JournalQuery {
  /** One unit or several; absent = all. */
  unit?: string | string[];
  minLevel?: Level;
  since?: TimePoint;
  until?: TimePoint;
  /** Case-insensitive substring of the message or of any field value. */
  text?: string;
  /** Entries with a larger seq only (a follower resuming after the last one it saw). */
  afterSeq?: number;
  /** Most entries returned; with order 'desc' these are the newest. */
  limit?: number;
  /** 'asc' = oldest first (default), 'desc' = newest first. */
  order?: 'asc' | 'desc';
}
