// Segment files and their names. The active segment is `<first seq>.jnl`; when it fills, it is
// synced and renamed to `<first>-<last>-<min time>-<max time>.jnl` (times in epoch ms), so a query
// skips a sealed segment by its name alone, without an index file that could disagree with the data.
// A rename is atomic, so a crash leaves the segment under one name or the other, both readable.
import { joinPath } from '../../gen/index.js';
import type { JournalFs } from './jfs.js';

export interface SegmentName {
  name: string;
  first: number;
  sealed: boolean;
  /** Known for sealed segments only. */
  last?: number;
  minTime?: number;
  maxTime?: number;
}

export interface SegmentInfo extends SegmentName {
  size: number;
}

const pad = (n: number, w: number): string => String(Math.max(0, Math.trunc(n))).padStart(w, '0');
const ACTIVE = /^(\d{16})\.jnl$/;
const SEALED = /^(\d{16})-(\d{16})-(\d{15})-(\d{15})\.jnl$/;

export const activeName = (first: number): string => `${pad(first, 16)}.jnl`;

export const sealedName = (first: number, last: number, minTime: number, maxTime: number): string =>
  `${pad(first, 16)}-${pad(last, 16)}-${pad(minTime, 15)}-${pad(maxTime, 15)}.jnl`;

/** undefined for a name that is not a segment (the lock file, an editor's backup). */
export function parseSegmentName(name: string): SegmentName | undefined {
  const a = ACTIVE.exec(name);
  if (a) return { name, first: Number(a[1]), sealed: false };
  const s = SEALED.exec(name);
  if (!s) return undefined;
  return { name, first: Number(s[1]), sealed: true, last: Number(s[2]), minTime: Number(s[3]), maxTime: Number(s[4]) };
}

/** Segments oldest first (by first seq; a sealed one before an active one with the same first seq). */
export async function listSegments(fs: JournalFs, dir: string): Promise<SegmentInfo[]> {
  const out: SegmentInfo[] = [];
  for (const name of await fs.readdir(dir)) {
    const s = parseSegmentName(name);
    if (!s) continue;
    try {
      out.push({ ...s, size: (await fs.stat(joinPath(dir, name))).size });
    } catch (err) {
      // Deleted by the writer's rotation between readdir and stat.
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
  }
  return out.sort((a, b) => a.first - b.first || Number(b.sealed) - Number(a.sealed));
}

/** Whether a segment may hold entries in [since, until] (ms); unknown ranges (active) always may. */
export function mayOverlap(s: SegmentName, since: number, until: number): boolean {
  if (!s.sealed) return true;
  return s.maxTime! >= since && s.minTime! <= until;
}
