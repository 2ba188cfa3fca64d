// Helpers shared by the journal's tests: an in-memory journal directory and a controllable clock.
import { createMemoryFileSystem, type MemoryFileSystem } from '../../../gen/index.js';
import { journalFsOver, type JournalFs } from '../../../core/journal/jfs.js';
import { openJournal, type Journal, type JournalOptions } from '../../../core/journal/journal.js';

export const DIR = '/data/dialogos/journal';

export interface MemJournal {
  mem: MemoryFileSystem;
  fs: JournalFs;
  clock: { t: number; now: () => number };
  journal: Journal;
}

/** A fresh journal on an in-memory file system, with a clock that moves only when told. */
export async function memJournal(o: Partial<JournalOptions> = {}, mem = createMemoryFileSystem()): Promise<MemJournal> {
  const clock = { t: Date.parse('2026-11-26T10:00:00.000Z'), now: () => clock.t };
  const fs = journalFsOver(mem);
  const journal = await openJournal({ dir: DIR, fs, now: clock.now, syncIntervalMs: 10, ...o });
  return { mem, fs, clock, journal };
}

/** Sizes of the segment files in DIR. */
export async function segmentSizes(fs: JournalFs, dir = DIR): Promise<{ name: string; size: number }[]> {
  const out = [];
  for (const name of await fs.readdir(dir)) {
    if (name.endsWith('.jnl')) out.push({ name, size: (await fs.stat(`${dir}/${name}`)).size });
  }
  return out;
}

/** A deterministic message for entry `i`, so a reader can check every byte it got back. */
export const messageOf = (i: number, pad = 40): string => `entry ${i} ${'x'.repeat(i % pad)}`;
