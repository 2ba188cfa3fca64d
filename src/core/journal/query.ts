// Reading the journal: streams segments oldest- or newest-first, skipping sealed segments whose
// time range (in their names) misses the query, so a `--since 10m` over 64 MiB reads one or two
// segments. Works from any process: the files are the interface, and no lock is taken.
import { joinPath } from '../../gen/index.js';
import { compileQuery, type CompiledQuery } from './filter.js';
import type { JournalFs } from './jfs.js';
import { recordsFromChunks, scanBuffer } from './record.js';
import { listSegments, mayOverlap, type SegmentInfo } from './segments.js';
import type { JournalEntry, JournalQuery } from './types.js';

const isEnoent = (err: unknown): boolean => (err as { code?: string }).code === 'ENOENT';

/** Segments, or none when the journal directory does not exist yet. */
export async function segmentsOf(fs: JournalFs, dir: string): Promise<SegmentInfo[]> {
  try {
    return await listSegments(fs, dir);
  } catch (err) {
    if (isEnoent(err)) return [];
    throw err;
  }
}

async function* readOne(fs: JournalFs, path: string, order: 'asc' | 'desc'): AsyncGenerator<JournalEntry> {
  if (order === 'asc') {
    yield* recordsFromChunks(fs.readChunks(path));
    return;
  }
  const { records } = scanBuffer(await fs.readFile(path));
  let prev = Infinity;
  for (let i = records.length - 1; i >= 0; i--) {
    const e = records[i]!.entry;
    // Newest first: a duplicate left by a retried append has a seq not below the one after it.
    if (e.seq < prev) yield e;
    prev = Math.min(prev, e.seq);
  }
}

/**
 * Entries of one segment. The writer may seal (rename) the active segment or delete the oldest while
 * we read: a vanished active segment is read under its sealed name; a deleted sealed one is skipped.
 */
async function* readSegment(fs: JournalFs, dir: string, seg: SegmentInfo, order: 'asc' | 'desc'): AsyncGenerator<JournalEntry> {
  try {
    yield* readOne(fs, joinPath(dir, seg.name), order);
  } catch (err) {
    if (!isEnoent(err)) throw err;
    if (seg.sealed) return;
    const renamed = (await segmentsOf(fs, dir)).find((s) => s.sealed && s.first === seg.first);
    if (renamed) yield* readSegment(fs, dir, renamed, order);
  }
}

/** Runs a compiled query over the files in `dir`. */
export async function* runQuery(fs: JournalFs, dir: string, q: CompiledQuery): AsyncGenerator<JournalEntry> {
  if (q.limit === 0) return;
  const picked = (await segmentsOf(fs, dir)).filter(
    (s) => mayOverlap(s, q.since, q.until) && !(s.sealed && s.last! <= q.afterSeq),
  );
  if (q.order === 'desc') picked.reverse();
  let n = 0;
  let bound = q.order === 'asc' ? -Infinity : Infinity;
  for (const seg of picked) {
    for await (const e of readSegment(fs, dir, seg, q.order)) {
      // Across segments too, seq only moves one way; anything else is a leftover copy.
      if (q.order === 'asc' ? e.seq <= bound : e.seq >= bound) continue;
      bound = e.seq;
      if (!q.matches(e)) continue;
      yield e;
      if (++n >= q.limit) return;
    }
  }
}

export interface JournalReaderOptions {
  /** The journal directory, e.g. /data/dialogos/journal. */
  dir: string;
  fs: JournalFs;
  /** For relative times; default Date.now. */
  now?: () => number;
}

/**
 * Streams the entries matching `q` from the files in `dir`.
 * @throws JournalQueryError for a bad query (before the first entry)
 */
export function queryFiles(o: JournalReaderOptions, q: JournalQuery = {}): AsyncGenerator<JournalEntry> {
  return runQuery(o.fs, o.dir, compileQuery(q, (o.now ?? Date.now)()));
}

/** Collects `queryFiles` into an array. */
export async function listFiles(o: JournalReaderOptions, q: JournalQuery = {}): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const e of queryFiles(o, q)) out.push(e);
  return out;
}
