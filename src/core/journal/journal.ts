// The journal of dialogosd: open (recovering from whatever happened before), write, query, follow.
// Host mode keeps it under the state directory, a machine under /data/dialogos/journal.
import { normalizeEntry } from './entry.js';
import { JournalQueryError } from './errors.js';
import { followFiles, followWriter, type FollowOptions } from './follow.js';
import { nodeJournalFs, type JournalFs } from './jfs.js';
import { acquireWriterLock, pidAlive } from './lock.js';
import { listFiles, queryFiles, type JournalReaderOptions } from './query.js';
import { recoverDir } from './recover.js';
import { createLineSink, type LineSink, type LineSinkOptions } from './sink.js';
import type { EntryInput, JournalEntry, JournalQuery, Level } from './types.js';
import { JournalWriter } from './writer.js';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface JournalOptions {
  /** The journal directory; created if missing. */
  dir: string;
  /** Default: the real file system. */
  fs?: JournalFs;
  /** Wall clock in epoch ms. Default Date.now. */
  now?: () => number;
  /** Budget for all segments together. Default 64 MiB; at least 4 segments' worth. */
  maxBytes?: number;
  /** Cap of one segment. Default maxBytes / 8. */
  segmentBytes?: number;
  /** The longest an entry waits for fsync (what a power cut can lose). Default 200 ms. */
  syncIntervalMs?: number;
  /** Entries at this level or above are synced at once. Default 'error'. */
  syncLevel?: Level;
  /** Written-but-not-appended bytes beyond which entries are dropped and counted. Default 16 MiB. */
  maxPendingBytes?: number;
  /** Take the writer lock (one writer per directory). Default true. */
  lock?: boolean;
  isAlive?: (pid: number) => boolean;
  /** Disk errors after open (the journal keeps the entries and retries). Default: print to stderr. */
  onError?: (err: unknown) => void;
}

export interface JournalStats {
  lastSeq: number;
  flushedSeq: number;
  durableSeq: number;
  storedBytes: number;
}

export interface Journal {
  readonly dir: string;
  /**
   * Stores an entry; returns it with seq and time. Does not wait for the disk.
   * @throws JournalEntryError for a malformed entry, JournalClosedError after close
   * @example journal.write({ unit: 'sshd', level: 'warn', message: 'bad key', fields: { peer: '10.0.0.2' } })
   */
  write(entry: EntryInput): JournalEntry;
  /** Every entry written so far is in the files. */
  flush(): Promise<void>;
  /** Every entry written so far is durable. */
  sync(): Promise<void>;
  /** @throws JournalQueryError for a bad query */
  query(q?: JournalQuery): AsyncIterable<JournalEntry>;
  list(q?: JournalQuery): Promise<JournalEntry[]>;
  /** Live entries (after the newest `backlog` stored ones) until `signal` aborts, the journal closes, or the clock passes `q.until`. */
  follow(q?: JournalQuery, o?: FollowOptions): AsyncIterable<JournalEntry>;
  /** A line sink for a service's stdout or stderr. @throws JournalEntryError for a bad unit name */
  sink(unit: string, o?: LineSinkOptions): LineSink;
  /** Entries as they are written, synchronously; returns the unsubscribe. */
  subscribe(fn: (e: JournalEntry) => void): () => void;
  stats(): JournalStats;
  /** Syncs, releases the lock; later writes throw. */
  close(): Promise<void>;
}

/**
 * Opens (creating or recovering) the journal in `o.dir` for writing.
 * @throws JournalLockedError when another live process writes it; JournalQueryError for bad sizes;
 *   the file system's errors (EACCES, EROFS)
 */
export async function openJournal(o: JournalOptions): Promise<Journal> {
  const fs = o.fs ?? nodeJournalFs();
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  const segmentBytes = o.segmentBytes ?? Math.floor(maxBytes / 8);
  if (!(segmentBytes >= 4096 && segmentBytes * 4 <= maxBytes)) {
    throw new JournalQueryError(`Cannot open journal "${o.dir}": segmentBytes ${segmentBytes} must be at least 4096 and at most maxBytes/4 (${maxBytes})`);
  }
  const now = o.now ?? Date.now;
  await fs.mkdir(o.dir);
  const release = o.lock === false ? async () => {} : await acquireWriterLock(fs, o.dir, o.isAlive ?? pidAlive);
  const recovered = await recoverDir(fs, o.dir);
  const w = new JournalWriter(
    {
      dir: o.dir, fs, now, maxBytes, segmentBytes,
      syncIntervalMs: o.syncIntervalMs ?? 200,
      syncLevel: o.syncLevel ?? 'error',
      maxPendingBytes: o.maxPendingBytes ?? 16 * 1024 * 1024,
      onError: o.onError ?? ((err) => console.error(`journal: ${String(err)}`)),
    },
    recovered,
  );
  for (const note of recovered.notes) w.write({ unit: 'journal', level: 'notice', message: `recovery: ${note}` });
  const reader: JournalReaderOptions = { dir: o.dir, fs, now };
  return {
    dir: o.dir,
    write: (e) => w.write(e),
    flush: () => w.flush(),
    sync: () => w.sync(),
    async *query(q) {
      await w.flush();
      yield* queryFiles(reader, q);
    },
    async list(q) {
      await w.flush();
      return listFiles(reader, q);
    },
    follow: (q, fo) => followWriter(w, reader, q, fo),
    sink(unit, so) {
      normalizeEntry({ unit, message: '' });
      return createLineSink((e) => w.write(e), unit, so);
    },
    subscribe: (fn) => w.subscribe(fn),
    stats: () => ({ lastSeq: w.lastSeq, flushedSeq: w.flushedSeq, durableSeq: w.durableSeq, storedBytes: w.storedBytes }),
    async close() {
      try {
        await w.close();
      } finally {
        await release();
      }
    },
  };
}

/** Read-only access from any process: no lock, no recovery (a torn tail is simply skipped). */
export interface JournalReader {
  query(q?: JournalQuery): AsyncIterable<JournalEntry>;
  list(q?: JournalQuery): Promise<JournalEntry[]>;
  /** Polls the files for new entries; see FollowOptions.pollMs. */
  follow(q?: JournalQuery, o?: FollowOptions): AsyncIterable<JournalEntry>;
}

export function openJournalReader(o: { dir: string; fs?: JournalFs; now?: () => number }): JournalReader {
  const r: JournalReaderOptions = { dir: o.dir, fs: o.fs ?? nodeJournalFs(), now: o.now ?? Date.now };
  return {
    query: (q) => queryFiles(r, q),
    list: (q) => listFiles(r, q),
    follow: (q, fo) => followFiles(r, q, fo),
  };
}
