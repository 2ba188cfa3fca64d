// The archive of a self-improvement loop: every evaluated candidate by its content address, every run, and
// an append-only index of both. Each record is written whole with writeFileAtomic before its index line is
// appended, so kill -9 at any moment leaves old records or new ones, never a torn one; a torn last index
// line is cut off and records the index missed are re-indexed when a writer opens the archive.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../std/index.js';
import { takeLock } from './lock.js';
import type { CandidateRecord, IndexEntry, RunRecord } from './records.js';

/** A record that is not in the archive, or an id prefix that names none or several. */
export class ArchiveNotFoundError extends Error {
  override name = 'ArchiveNotFoundError';
}

/** An id that is not a candidate (c-<16 hex>) or run (r-...) id: refused before it becomes a path. */
export class InvalidArchiveIdError extends Error {
  override name = 'InvalidArchiveIdError';
}

/** A write asked of an archive opened read-only. */
export class ArchiveReadOnlyError extends Error {
  override name = 'ArchiveReadOnlyError';
}

const CANDIDATE_ID = /^c-[0-9a-f]{16}$/;
const RUN_ID = /^r-[0-9a-z-]{1,64}$/;

export interface Archive {
  readonly dir: string;
  readonly readOnly: boolean;
  /** Index entries in the order written (a run appears once per status change; see runs()). */
  entries(): IndexEntry[];
  candidates(run?: string): Extract<IndexEntry, { t: 'candidate' }>[];
  runs(): RunRecord[];
  has(id: string): boolean;
  getCandidate(id: string): CandidateRecord;
  getRun(id: string): RunRecord;
  putCandidate(rec: CandidateRecord): boolean;
  putRun(rec: RunRecord): void;
  /** The one candidate or run whose id starts with `prefix`. @throws ArchiveNotFoundError */
  resolve(prefix: string): { kind: 'candidate' | 'run'; id: string };
  close(): void;
}

export interface OpenArchiveOptions {
  /** Read without the lock (status, ls, show); writes throw ArchiveReadOnlyError. */
  readOnly?: boolean;
}

const parseLines = (text: string): IndexEntry[] => {
  const out: IndexEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as IndexEntry);
    } catch {
      // a torn line (the last one, cut by kill -9): a writer cuts it off when it opens the archive
    }
  }
  return out;
};

const checkId = (id: string, re: RegExp, what: string): string => {
  if (!re.test(id)) throw new InvalidArchiveIdError(`Cannot use "${id}" as a ${what} id: expected ${re.source}`);
  return id;
};

/**
 * Opens (creating) the archive in `dir`. A writer takes the lock, removes temporary files of a killed
 * writer, cuts a torn last index line and indexes records the index missed.
 * @throws ArchiveLockedError when another live process writes it; the fs error when `dir` cannot be made
 */
export function openArchive(dir: string, o: OpenArchiveOptions = {}): Archive {
  const readOnly = o.readOnly ?? false;
  const index = join(dir, 'index.jsonl');
  const cdir = join(dir, 'candidates'), rdir = join(dir, 'runs');
  let release = () => {};
  if (!readOnly) {
    for (const d of [dir, cdir, rdir]) mkdirSync(d, { recursive: true });
    release = takeLock(join(dir, 'lock'), dir);
    repair(index, cdir, rdir);
  }
  const read = (): IndexEntry[] => (existsSync(index) ? parseLines(readFileSync(index, 'utf8')) : []);
  let cache = read();
  const append = (e: IndexEntry) => {
    appendLine(index, e);
    cache.push(e);
  };
  const writable = (what: string) => {
    if (readOnly) throw new ArchiveReadOnlyError(`Cannot ${what} in archive "${dir}": it was opened read-only`);
  };
  const readJson = <T>(file: string, what: string): T => {
    if (!existsSync(file)) throw new ArchiveNotFoundError(`Cannot find ${what} in archive "${dir}"`);
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  };
  const a: Archive = {
    dir, readOnly,
    entries: () => (readOnly ? (cache = read()) : cache).slice(),
    candidates: (run) => a.entries().filter((e): e is Extract<IndexEntry, { t: 'candidate' }> => e.t === 'candidate' && (run === undefined || e.run === run)),
    runs: () => [...new Set(a.entries().filter((e) => e.t === 'run').map((e) => e.id))].map((id) => a.getRun(id)),
    has: (id) => CANDIDATE_ID.test(id) && existsSync(join(cdir, `${id}.json`)),
    getCandidate: (id) => readJson<CandidateRecord>(join(cdir, `${checkId(id, CANDIDATE_ID, 'candidate')}.json`), `candidate "${id}"`),
    getRun: (id) => readJson<RunRecord>(join(rdir, `${checkId(id, RUN_ID, 'run')}.json`), `run "${id}"`),
    putCandidate: (rec) => {
      writable(`record candidate "${rec.id}"`);
      const file = join(cdir, `${checkId(rec.id, CANDIDATE_ID, 'candidate')}.json`);
      if (existsSync(file)) return false; // content-addressed: the first evaluation stands
      writeFileAtomicSync(file, JSON.stringify(rec));
      append({ t: 'candidate', id: rec.id, run: rec.run, parent: rec.parent, decision: rec.decision, fitness: rec.fitness, at: rec.evaluatedAt });
      return true;
    },
    putRun: (rec) => {
      writable(`record run "${rec.id}"`);
      writeFileAtomicSync(join(rdir, `${checkId(rec.id, RUN_ID, 'run')}.json`), JSON.stringify(rec));
      const last = [...cache].reverse().find((e) => e.t === 'run' && e.id === rec.id);
      if (!last || (last.t === 'run' && last.status !== rec.status)) append({ t: 'run', id: rec.id, status: rec.status, at: new Date().toISOString() });
    },
    resolve: (prefix) => resolveId(a, prefix, dir),
    close: () => release(),
  };
  return a;
}

function resolveId(a: Archive, prefix: string, dir: string): { kind: 'candidate' | 'run'; id: string } {
  const ids = new Map<string, 'candidate' | 'run'>();
  for (const e of a.entries()) if (e.id.startsWith(prefix)) ids.set(e.id, e.t);
  const only = [...ids][0];
  if (ids.size === 1 && only) return { id: only[0], kind: only[1] };
  const why = ids.size === 0 ? 'names no candidate or run' : `names ${ids.size}: ${[...ids.keys()].slice(0, 5).join(', ')}`;
  throw new ArchiveNotFoundError(`Cannot find "${prefix}" in archive "${dir}": it ${why}`);
}

function appendLine(index: string, e: IndexEntry): void {
  const fd = openSync(index, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(e)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Undoes what kill -9 of a writer can leave: temporary files, a torn last line, records not yet indexed. */
function repair(index: string, cdir: string, rdir: string): void {
  for (const d of [cdir, rdir]) for (const f of readdirSync(d)) if (f.startsWith('.')) rmSync(join(d, f), { force: true });
  const text = existsSync(index) ? readFileSync(index, 'utf8') : '';
  const whole = text.endsWith('\n') || text === '' ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (whole.length !== text.length) truncateSync(index, Buffer.byteLength(whole));
  const entries = parseLines(whole);
  const known = new Set(entries.map((e) => `${e.t}:${e.id}`));
  for (const f of readdirSync(cdir).filter((n) => n.endsWith('.json')).sort()) {
    const id = f.slice(0, -5);
    if (known.has(`candidate:${id}`)) continue;
    const r = JSON.parse(readFileSync(join(cdir, f), 'utf8')) as CandidateRecord;
    appendLine(index, { t: 'candidate', id, run: r.run, parent: r.parent, decision: r.decision, fitness: r.fitness, at: r.evaluatedAt });
  }
  for (const f of readdirSync(rdir).filter((n) => n.endsWith('.json')).sort()) {
    const r = JSON.parse(readFileSync(join(rdir, f), 'utf8')) as RunRecord;
    if (!known.has(`run:${r.id}`)) appendLine(index, { t: 'run', id: r.id, status: r.status, at: r.startedAt });
  }
}
