// Opening a journal after anything, a clean stop or a power cut: the active segment is scanned and a
// torn tail (a record cut by the crash) is truncated, so appends continue after the last whole record.
// Earlier records are never touched. A stray second active segment (a crash inside a rotation) is sealed.
import { joinPath } from '../../gen/index.js';
import type { JournalFs } from './jfs.js';
import { scanBuffer } from './record.js';
import { listSegments, sealedName } from './segments.js';

export interface ActiveSegment {
  name: string;
  first: number;
  size: number;
  last?: number;
  minTime: number;
  maxTime: number;
}

export interface Recovered {
  sealed: { name: string; size: number }[];
  active?: ActiveSegment;
  nextSeq: number;
  /** What recovery did, for the journal's own notice entries. */
  notes: string[];
}

async function scanActive(fs: JournalFs, dir: string, name: string, first: number) {
  const path = joinPath(dir, name);
  const data = await fs.readFile(path);
  const { records, validEnd, badLines } = scanBuffer(data);
  const seg: ActiveSegment = { name, first, size: validEnd, minTime: Infinity, maxTime: -Infinity };
  for (const { entry } of records) {
    const t = Date.parse(entry.time);
    seg.last = Math.max(seg.last ?? -Infinity, entry.seq);
    seg.minTime = Math.min(seg.minTime, t);
    seg.maxTime = Math.max(seg.maxTime, t);
  }
  return { seg, torn: data.length - validEnd, badLines, path };
}

/** Brings `dir` to a state the writer can append to. */
export async function recoverDir(fs: JournalFs, dir: string): Promise<Recovered> {
  await fs.mkdir(dir);
  const segs = await listSegments(fs, dir);
  const out: Recovered = { sealed: [], nextSeq: 1, notes: [] };
  const actives = segs.filter((s) => !s.sealed);
  const lastActive = actives[actives.length - 1];
  let dirChanged = false;
  for (const s of segs) {
    if (s.sealed) {
      out.sealed.push({ name: s.name, size: s.size });
      out.nextSeq = Math.max(out.nextSeq, s.last! + 1);
      continue;
    }
    const { seg, torn, badLines, path } = await scanActive(fs, dir, s.name, s.first);
    if (badLines > 0) out.notes.push(`segment "${s.name}" holds ${badLines} damaged record(s); they are skipped`);
    if (torn > 0) {
      await fs.truncate(path, seg.size);
      await fs.fsyncFile(path);
      out.notes.push(`truncated a torn tail of ${torn} byte(s) from segment "${s.name}"`);
    }
    if (seg.last === undefined) {
      // Nothing whole in it: a segment created just before the crash.
      await fs.rm(path);
      dirChanged = true;
      continue;
    }
    out.nextSeq = Math.max(out.nextSeq, seg.last + 1);
    if (s === lastActive) {
      out.active = seg;
    } else {
      const name = sealedName(seg.first, seg.last, seg.minTime, seg.maxTime);
      await fs.rename(path, joinPath(dir, name));
      out.sealed.push({ name, size: seg.size });
      out.notes.push(`sealed stray active segment "${s.name}" as "${name}"`);
      dirChanged = true;
    }
  }
  if (dirChanged) await fs.fsyncDir(dir);
  return out;
}
