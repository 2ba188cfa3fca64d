// Following the journal live. In the writer's process, entries arrive from the writer itself, before
// they reach the disk. From another process (`dialogos logs -f` without the API), the segment files
// are polled: a poll is one readdir and one read of the new bytes, so a short interval costs little
// and works on every file system, where fs.watch misses events on some.
import { setTimeout as sleep } from 'node:timers/promises';
import { joinPath } from '../../gen/index.js';
import { JournalFollowLaggedError } from './errors.js';
import { compileQuery, parseTime } from './filter.js';
import { decodeRecord } from './record.js';
import { listFiles, queryFiles, segmentsOf, type JournalReaderOptions } from './query.js';
import type { JournalEntry, JournalQuery } from './types.js';
import type { JournalWriter } from './writer.js';

export interface FollowOptions {
  /** Deliver the newest `backlog` matching stored entries first (like `tail -n`). Default 0. */
  backlog?: number;
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** In-process: entries a slow consumer may fall behind before JournalFollowLaggedError. Default 100000. */
  maxQueue?: number;
  /** Across processes: the poll interval. Default 100 ms. */
  pollMs?: number;
}

/** Files written by another process reach the disk a little after their entries' time. */
const FILE_GRACE_MS = 1000;

/** When a follow with `q.until` ends: the wall-clock time after which no matching entry can come. */
const endOf = (q: JournalQuery, now: number): number | undefined => (q.until === undefined ? undefined : parseTime(q.until, now));

/** The newest `n` stored entries matching `q` with seq up to `upTo`, oldest first. */
async function backlogOf(r: JournalReaderOptions, q: JournalQuery, n: number, upTo: number): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  if (n <= 0) return out;
  // Newest first, stopping after n: only the last segments are read.
  for await (const e of queryFiles(r, { ...q, order: 'desc', limit: undefined })) {
    if (e.seq > upTo) continue;
    out.push(e);
    if (out.length === n) break;
  }
  return out.reverse();
}

/**
 * Live entries from the writer in this process, after an optional backlog, without gap or repeat.
 * @throws JournalFollowLaggedError when the consumer falls more than `maxQueue` entries behind
 */
export async function* followWriter(w: JournalWriter, r: JournalReaderOptions, q: JournalQuery = {}, o: FollowOptions = {}): AsyncGenerator<JournalEntry> {
  const clock = r.now ?? Date.now;
  const { matches } = compileQuery({ ...q, limit: undefined, order: undefined }, clock());
  const endAt = endOf(q, clock());
  const queue: JournalEntry[] = [];
  let wake: (() => void) | undefined;
  let ended = w.isClosed;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  const stop = w.subscribe((e) => { if (matches(e)) { queue.push(e); poke(); } }, () => { ended = true; poke(); });
  const onAbort = (): void => { ended = true; poke(); };
  o.signal?.addEventListener('abort', onAbort);
  let last = w.lastSeq;
  try {
    if ((o.backlog ?? 0) > 0) {
      await w.flush();
      for (const e of await backlogOf(r, q, o.backlog!, last)) yield e;
    }
    for (;;) {
      if (queue.length > (o.maxQueue ?? 100_000)) {
        throw new JournalFollowLaggedError(`Cannot follow journal "${r.dir}": the reader fell more than ${o.maxQueue ?? 100_000} entries behind`, last);
      }
      const e = queue.shift();
      if (e) {
        last = e.seq;
        yield e;
        continue;
      }
      if (ended || o.signal?.aborted) return;
      // With `until`: entries are queued as they are written, so once the clock is past it, none can come.
      if (endAt !== undefined && clock() > endAt) return;
      let timer: NodeJS.Timeout | undefined;
      if (endAt !== undefined) timer = setTimeout(poke, Math.max(0, endAt - clock()) + 1);
      await new Promise<void>((resolve) => (wake = resolve));
      clearTimeout(timer);
    }
  } finally {
    stop();
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** Reads the complete records from `offset` on; returns them and the offset after the last '\n'. */
async function readNew(r: JournalReaderOptions, path: string, offset: number): Promise<{ entries: JournalEntry[]; offset: number }> {
  const chunks: Uint8Array[] = [];
  for await (const c of r.fs.readFrom(path, offset)) chunks.push(c);
  const buf = Buffer.concat(chunks);
  const entries: JournalEntry[] = [];
  let pos = 0;
  for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, pos)) {
    const e = nl > pos ? decodeRecord(buf, pos, nl) : undefined;
    if (e) entries.push(e);
    pos = nl + 1;
  }
  return { entries, offset: offset + pos };
}

/**
 * Follows the files of a journal written by another process: stored entries up to now (the newest
 * `backlog` of them), then new ones as they are appended, across rotations and writer restarts.
 */
export async function* followFiles(r: JournalReaderOptions, q: JournalQuery = {}, o: FollowOptions = {}): AsyncGenerator<JournalEntry> {
  const clock = r.now ?? Date.now;
  const { matches } = compileQuery({ ...q, limit: undefined, order: undefined }, clock());
  const endAt = endOf(q, clock());
  const newest = await listFiles(r, { order: 'desc', limit: 1 });
  let seen = newest[0]?.seq ?? 0;
  for (const e of await backlogOf(r, q, o.backlog ?? 0, seen)) yield e;
  // Position: the segment (by first seq) and byte offset read up to. Start in the segment that holds
  // seq seen+1, however many rotations happened since `seen` was read.
  let segs = await segmentsOf(r.fs, r.dir);
  let cur = segs.filter((s) => s.first <= seen + 1).at(-1)?.first ?? -1;
  let offset = 0;
  while (!o.signal?.aborted) {
    segs = await segmentsOf(r.fs, r.dir);
    let seg = segs.find((s) => s.first === cur) ?? segs.find((s) => s.first > cur);
    if (seg && seg.first !== cur) [cur, offset] = [seg.first, 0];
    let progressed = false;
    if (seg) {
      // A writer that recovered from a crash may have truncated a torn tail we had not passed.
      if (seg.size < offset) offset = 0;
      try {
        const got = await readNew(r, joinPath(r.dir, seg.name), offset);
        progressed = got.offset > offset;
        offset = got.offset;
        for (const e of got.entries) {
          if (e.seq <= seen) continue;
          seen = e.seq;
          if (matches(e)) yield e;
        }
      } catch (err) {
        // Renamed (sealed) or deleted between readdir and read: the next poll finds it again.
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
        progressed = true;
      }
      const next = segs.find((s) => s.first > cur);
      if (!progressed && next) {
        [cur, offset] = [next.first, 0];
        continue;
      }
    }
    if (!progressed && endAt !== undefined && clock() > endAt + FILE_GRACE_MS) return;
    if (!progressed) await sleep(o.pollMs ?? 100, undefined, { signal: o.signal }).catch(() => undefined);
  }
}
