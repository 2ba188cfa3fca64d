// What one DebugfsFileSystem knows about its image without asking it: paths it created or observed,
// with their stat, and for directories it created or listed, the complete set of names in them. It
// answers lstat/exists/readdir for queued (not yet written) changes, and says when a name is certainly
// absent. It assumes no other writer changes the image while the instance is in use.
import { posix } from 'node:path';
import type { FileKind, FileStat } from './fs-shape.js';

export interface ShadowEntry {
  kind: FileKind;
  size: number;
  mode: number;
  /** A symlink's target, when known. */
  target?: string;
  /** Every name in the directory, when known (created here, or listed). */
  children?: Set<string>;
}

export type Lookup = { entry: ShadowEntry } | { absent: true } | null;

export class Shadow {
  private readonly map = new Map<string, ShadowEntry>();

  /** The entry, or `absent` when the parent's listing is known and lacks the name, or null when unknown. */
  lookup(path: string): Lookup {
    const entry = this.map.get(path);
    if (entry) return { entry };
    if (path === '/') return null;
    const parent = this.map.get(posix.dirname(path));
    if (parent?.children && !parent.children.has(posix.basename(path))) return { absent: true };
    return null;
  }

  get(path: string): ShadowEntry | undefined {
    return this.map.get(path);
  }

  /** Records `path` and adds its name to a known parent listing. */
  set(path: string, entry: ShadowEntry): void {
    this.map.set(path, entry);
    if (path !== '/') this.map.get(posix.dirname(path))?.children?.add(posix.basename(path));
  }

  /** Forgets `path` and everything below it, and removes its name from a known parent listing. */
  remove(path: string): void {
    for (const p of this.below(path)) this.map.delete(p);
    this.map.delete(path);
    if (path !== '/') this.map.get(posix.dirname(path))?.children?.delete(posix.basename(path));
  }

  /** Moves what is known about `from` (and below) to `to`, replacing whatever was known at `to`. */
  move(from: string, to: string): void {
    const moved: [string, ShadowEntry][] = [];
    for (const p of [from, ...this.below(from)]) {
      const e = this.map.get(p);
      if (e) moved.push([to + p.slice(from.length), e]);
    }
    this.remove(from);
    this.remove(to);
    const parent = this.map.get(posix.dirname(to));
    if (moved.length === 0 || moved[0]![0] !== to) {
      // Nothing known about the source itself: the destination exists, stat unknown.
      parent?.children?.add(posix.basename(to));
    }
    for (const [p, e] of moved) this.set(p, e);
  }

  /** Forgets everything (after a failed batch, the image's state is not known). */
  clear(): void {
    this.map.clear();
  }

  /** Known regular files, sorted by path. */
  files(): [string, ShadowEntry][] {
    return [...this.map].filter(([, e]) => e.kind === 'file').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private below(path: string): string[] {
    const prefix = path === '/' ? '/' : path + '/';
    return [...this.map.keys()].filter((p) => p.startsWith(prefix) && p !== path);
  }
}
