// Read-ahead for DebugfsFileSystem: the store reads back every file it just wrote (to verify digests),
// and one debugfs run per file would cost tens of milliseconds each. A miss dumps the wanted file and
// the next known files (by path, within a byte budget) in ONE debugfs run into a host temp dir; each
// dumped file is used once, and dropped when its path changes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote, runBatch, type DebugfsRunner } from './debugfs-batch.js';
import type { ShadowEntry } from './debugfs-shadow.js';

export class ReadAhead {
  /** Image path -> host file holding its data. */
  private readonly cache = new Map<string, string>();
  private readonly dirs: string[] = [];

  constructor(private readonly budgetBytes: number) {}

  /** True while host temp files exist. */
  get holding(): boolean {
    return this.dirs.length > 0;
  }

  /** The data of `path` from an earlier dump, or null. */
  take(path: string): Buffer | null {
    const hit = this.cache.get(path);
    if (hit === undefined) return null;
    this.cache.delete(path);
    const data = readFileSync(hit);
    rmSync(hit, { force: true });
    if (this.cache.size === 0) this.clear();
    return data;
  }

  /**
   * Dumps `path` and the known files after it in one debugfs run; returns its data, or the error
   * message debugfs gave for it.
   */
  fetch(run: DebugfsRunner, spec: string, path: string, known: [string, ShadowEntry][]): Buffer | { error: string } {
    const picks = [path, ...this.picks(path, known)];
    const dir = mkdtempSync(join(tmpdir(), 'dialogos-debugfs-read-'));
    this.dirs.push(dir);
    const host = (i: number) => join(dir, String(i));
    const failures = runBatch(run, spec, picks.map((p, i) => `dump ${quote(p)} ${quote(host(i))}`), false);
    const failed = new Set(failures.map((f) => f.index));
    picks.forEach((p, i) => { if (i > 0 && !failed.has(i)) this.cache.set(p, host(i)); });
    const own = failures.find((f) => f.index === 0);
    const result = own ? { error: own.message } : readFileSync(host(0));
    rmSync(host(0), { force: true });
    if (this.cache.size === 0) this.clear();
    return result;
  }

  /** Known regular files after `path` (by path, wrapping round), within the budget. */
  private picks(path: string, known: [string, ShadowEntry][]): string[] {
    const files = known.filter(([p, e]) => e.kind === 'file' && p !== path && !this.cache.has(p));
    const start = files.findIndex(([p]) => p > path);
    const ordered = start < 0 ? files : [...files.slice(start), ...files.slice(0, start)];
    const picks: string[] = [];
    let budget = this.budgetBytes;
    for (const [p, e] of ordered) {
      if (picks.length >= 4000 || e.size > budget) break;
      budget -= e.size;
      picks.push(p);
    }
    return picks;
  }

  /** Drops dumped data for `path` and everything below it. */
  invalidate(path: string): void {
    for (const [p, host] of this.cache) {
      if (p === path || p.startsWith(path + '/')) {
        rmSync(host, { force: true });
        this.cache.delete(p);
      }
    }
  }

  clear(): void {
    this.cache.clear();
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
