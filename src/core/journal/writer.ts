// The journal writer: assigns seq and time, hands each entry to live followers at once, appends
// batches to the active segment on the next turn of the event loop, and fsyncs every
// `syncIntervalMs` or right after an entry at `syncLevel` or above.
//
// What survives what:
// - the process killed (kill -9, OOM): everything written to the OS, i.e. all but the entries of the
//   current event-loop turn;
// - a power cut: everything up to the last fsync, so at most the last `syncIntervalMs` of entries
//   below `syncLevel`; a record torn by the cut is truncated on the next open; earlier entries, and
//   every sealed segment (synced before its rename), are never at risk.
import { joinPath } from '../../gen/index.js';
import { normalizeEntry } from './entry.js';
import { JournalClosedError, JournalError } from './errors.js';
import type { JournalFs } from './jfs.js';
import { encodeRecord } from './record.js';
import type { ActiveSegment, Recovered } from './recover.js';
import { activeName, sealedName } from './segments.js';
import { levelRank, type EntryInput, type JournalEntry, type Level } from './types.js';

export interface WriterConfig {
  dir: string;
  fs: JournalFs;
  now: () => number;
  maxBytes: number;
  segmentBytes: number;
  syncIntervalMs: number;
  syncLevel: Level;
  maxPendingBytes: number;
  onError: (err: unknown) => void;
}

interface Pending {
  bytes: Buffer;
  seq: number;
  time: number;
}

export class JournalWriter {
  private nextSeq: number;
  private active: ActiveSegment | undefined;
  private activeDirSynced = true;
  private readonly sealed: { name: string; size: number }[];
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private io: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private newlineFirst = false;
  private dropped = 0;
  private closed = false;
  private readonly listeners = new Set<(e: JournalEntry) => void>();
  private readonly closeListeners = new Set<() => void>();
  /** Highest seq appended to a segment file / made durable by fsync. */
  flushedSeq: number;
  durableSeq: number;

  constructor(private readonly c: WriterConfig, r: Recovered) {
    this.nextSeq = r.nextSeq;
    this.active = r.active;
    this.sealed = [...r.sealed];
    this.flushedSeq = this.durableSeq = r.nextSeq - 1;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Bytes in segment files now (sealed and active). */
  get storedBytes(): number {
    return this.sealed.reduce((n, s) => n + s.size, 0) + (this.active?.size ?? 0);
  }

  /**
   * Stores an entry and returns it with its seq and time. Never waits for the disk. Under overload
   * (more than `maxPendingBytes` not yet written) the entry is dropped, counted, and returned with
   * seq 0; a notice with the count is written once the backlog drains.
   * @throws JournalEntryError for a malformed entry; JournalClosedError after close
   */
  write(input: EntryInput): JournalEntry {
    if (this.closed) throw new JournalClosedError(`Cannot write to journal "${this.c.dir}": it is closed`);
    const n = normalizeEntry(input);
    // A broken clock (NaN) must not make toISOString throw inside a service's log path.
    const raw = this.c.now();
    const ms = Number.isFinite(raw) && Math.abs(raw) < 8.64e15 ? raw : Date.now();
    const entry: JournalEntry = { seq: 0, time: new Date(ms).toISOString(), ...n };
    if (this.pendingBytes > this.c.maxPendingBytes) {
      this.dropped++;
      return entry;
    }
    if (this.dropped > 0 && this.pending.length === 0) this.noteDropped();
    entry.seq = this.nextSeq++;
    const bytes = encodeRecord(entry);
    this.pending.push({ bytes, seq: entry.seq, time: ms });
    this.pendingBytes += bytes.length;
    for (const l of this.listeners) {
      // A broken subscriber must not make the write fail: the entry is already stored.
      try {
        l(entry);
      } catch (err) {
        this.c.onError(err);
      }
    }
    this.queueFlush();
    if (levelRank(entry.level) >= levelRank(this.c.syncLevel)) this.armSync(0);
    else this.armSync(this.c.syncIntervalMs);
    return entry;
  }

  private noteDropped(): void {
    const count = this.dropped;
    this.dropped = 0;
    this.write({ unit: 'journal', level: 'warn', message: `dropped ${count} entries: the disk did not keep up`, fields: { dropped: String(count) } });
  }

  /**
   * Calls `fn` with every entry written from now on, synchronously and in seq order, and `onClose`
   * when the journal closes; returns the unsubscribe.
   */
  subscribe(fn: (e: JournalEntry) => void, onClose?: () => void): () => void {
    this.listeners.add(fn);
    if (onClose) this.closeListeners.add(onClose);
    return () => {
      this.listeners.delete(fn);
      if (onClose) this.closeListeners.delete(onClose);
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush().catch((err) => this.failed(err));
    });
  }

  private armSync(ms: number): void {
    if (this.syncTimer !== undefined && ms > 0) return;
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.sync().catch((err) => this.failed(err));
    }, ms);
    this.syncTimer.unref();
  }

  private failed(err: unknown): void {
    this.c.onError(err);
    // Retry later: the disk may come back (ENOSPC cleared); the entries wait in memory until then.
    if (!this.closed && this.pending.length > 0) setTimeout(() => this.queueFlush(), 1000).unref();
  }

  /** Resolves when every entry written so far is in a segment file (not necessarily on the platter). */
  flush(): Promise<void> {
    return this.serial(() => this.appendPending());
  }

  /** Resolves when every entry written so far is durable. */
  sync(): Promise<void> {
    return this.serial(async () => {
      await this.appendPending();
      if (!this.active || this.durableSeq >= this.flushedSeq) return;
      await this.c.fs.fsyncFile(this.path(this.active.name));
      if (!this.activeDirSynced) await this.c.fs.fsyncDir(this.c.dir);
      this.activeDirSynced = true;
      this.durableSeq = this.flushedSeq;
    });
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const run = this.io.then(step);
    this.io = run.catch(() => undefined);
    return run;
  }

  private path(name: string): string {
    return joinPath(this.c.dir, name);
  }

  private async appendPending(): Promise<void> {
    while (this.pending.length > 0) {
      const a = (this.active ??= this.newActive(this.pending[0]!.seq));
      let k = 0;
      let bytes = this.newlineFirst ? 1 : 0;
      // Fill the segment up to its cap exactly; a record larger than a whole segment gets one alone.
      while (k < this.pending.length && (a.size + bytes + this.pending[k]!.bytes.length <= this.c.segmentBytes || a.size + bytes === 0)) {
        bytes += this.pending[k]!.bytes.length;
        k++;
      }
      if (k === 0) {
        await this.rotate();
        continue;
      }
      const batch = this.pending.slice(0, k);
      const parts = batch.map((p) => p.bytes);
      // After a failed append a partial record may end the file: a blank line keeps the next one whole.
      if (this.newlineFirst) parts.unshift(Buffer.from('\n'));
      try {
        await this.c.fs.appendFile(this.path(a.name), Buffer.concat(parts, bytes));
      } catch (err) {
        this.newlineFirst = true;
        throw new JournalError(`Cannot append to journal segment "${this.path(a.name)}"`, { cause: err });
      }
      this.newlineFirst = false;
      a.size += bytes;
      for (const p of batch) {
        a.last = p.seq;
        a.minTime = Math.min(a.minTime, p.time);
        a.maxTime = Math.max(a.maxTime, p.time);
      }
      this.pending.splice(0, k);
      this.pendingBytes -= bytes - (parts.length > batch.length ? 1 : 0);
      this.flushedSeq = a.last!;
      if (a.size >= this.c.segmentBytes) await this.rotate();
    }
  }

  private newActive(first: number): ActiveSegment {
    this.activeDirSynced = false;
    return { name: activeName(first), first, size: 0, minTime: Infinity, maxTime: -Infinity };
  }

  /** Seals the active segment (fsync, rename, fsync dir), then deletes the oldest over the budget. */
  private async rotate(): Promise<void> {
    const a = this.active;
    if (!a || a.size === 0 || a.last === undefined) return;
    const fs = this.c.fs;
    await fs.fsyncFile(this.path(a.name));
    this.durableSeq = Math.max(this.durableSeq, a.last);
    const name = sealedName(a.first, a.last, a.minTime, a.maxTime);
    await fs.rename(this.path(a.name), this.path(name));
    await fs.fsyncDir(this.c.dir);
    this.sealed.push({ name, size: a.size });
    this.active = undefined;
    // Leave room for a full active segment, so the total never passes maxBytes.
    let total = this.sealed.reduce((n, s) => n + s.size, 0);
    let removed = false;
    while (this.sealed.length > 0 && total > this.c.maxBytes - this.c.segmentBytes) {
      const old = this.sealed.shift()!;
      await fs.rm(this.path(old.name));
      total -= old.size;
      removed = true;
    }
    if (removed) await fs.fsyncDir(this.c.dir);
  }

  /** Syncs everything and stops; later writes throw JournalClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.dropped > 0) this.noteDropped();
    this.closed = true;
    clearTimeout(this.syncTimer);
    this.listeners.clear();
    for (const l of this.closeListeners) l();
    this.closeListeners.clear();
    await this.sync();
  }
}
