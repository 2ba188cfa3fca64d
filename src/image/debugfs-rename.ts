// rename for DebugfsFileSystem. debugfs has no rename: a new link then an unlink (neither touches link
// counts, so the pair keeps them right). A directory moving to another parent needs its ".." and both
// parents' link counts changed, which debugfs cannot edit, so its directories are made anew at the
// destination (mkdir, preorder), its files and symlinks are moved by link + unlink (no data is copied),
// and the old directories are removed (rmdir, postorder).
//
// A debugfs batch goes on after a failing line, and an unlink after a failed link would orphan the
// inode, so this runs in two phases: (1) make directories and links; on failure, undo what phase 1 did
// and fail; (2) only then unlink and rmdir the old names. `ln` does not grow a full directory as
// `write` and `mkdir` do, so new directories are grown ahead (expand_dir) for the names they will hold,
// and a link that still finds no space is retried after growing its directory.
import { closeSync, openSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import { quote, runBatch, type BatchFailure, type DebugfsRunner } from './debugfs-batch.js';
import { ImageFsError } from './errors.js';
import type { FileStat } from './fs-shape.js';

/** A phase-1 line and how to take it back. */
export interface Step {
  command: string;
  undo: string | null;
  /** For a link: the directory it adds a name to (grown and retried when full), and the entry's bytes. */
  linkDir?: string;
  linkBytes?: number;
}

export interface RenamePlan {
  phase1: Step[];
  phase2: string[];
}

export interface TreeReader {
  lstat(path: string): Promise<FileStat>;
  readdir(path: string): Promise<string[]>;
}

/** Bytes a directory entry takes (ext4: 8-byte header, name, padded to 4). */
const recLen = (name: string) => (8 + Buffer.byteLength(name) + 3) & ~3;

/** Plans renaming `a` to `b`; `dst` is what is at `b` now (an empty directory or a file), if anything. */
export async function planRename(tree: TreeReader, a: string, b: string, src: FileStat, dst: FileStat | null, blockSize: number): Promise<RenamePlan> {
  const plan: RenamePlan = { phase1: [], phase2: [] };
  if (dst?.kind === 'dir') plan.phase1.push({ command: `rmdir ${quote(b)}`, undo: `mkdir ${quote(b)}` });
  if (src.kind === 'dir' && posix.dirname(a) !== posix.dirname(b)) {
    await planTree(tree, a, b, src.mode, blockSize, plan);
  } else {
    // ln cannot link over a name, so a file at `b` goes first; it is not restored on failure (it is
    // being replaced either way).
    if (dst && dst.kind !== 'dir') plan.phase1.push({ command: `rm ${quote(b)}`, undo: null });
    plan.phase1.push({ command: `ln ${quote(a)} ${quote(b)}`, undo: `unlink ${quote(b)}`, linkDir: posix.dirname(b), linkBytes: recLen(posix.basename(b)) });
    plan.phase2.push(`unlink ${quote(a)}`);
  }
  return plan;
}

async function planTree(tree: TreeReader, from: string, to: string, mode: number, blockSize: number, plan: RenamePlan): Promise<void> {
  const names = await tree.readdir(from);
  plan.phase1.push({ command: `mkdir ${quote(to)}`, undo: `rmdir ${quote(to)}` });
  if (mode !== 0o755) plan.phase1.push({ command: `sif ${quote(to)} mode 0${(0o040000 | mode).toString(8)}`, undo: null });
  // "." and ".." take 24 bytes; each block may end in a 12-byte checksum tail, and an entry that does
  // not fit the rest of a block starts the next one (up to 263 bytes lost per block).
  const need = 24 + names.reduce((n, name) => n + recLen(name), 0);
  for (let i = 1; i < blocksFor(need, blockSize); i++) plan.phase1.push({ command: `expand_dir ${quote(to)}`, undo: null });
  for (const name of names) {
    const a = posix.join(from, name);
    const b = posix.join(to, name);
    const st = await tree.lstat(a);
    if (st.kind === 'dir') await planTree(tree, a, b, st.mode, blockSize, plan);
    else {
      plan.phase1.push({ command: `ln ${quote(a)} ${quote(b)}`, undo: `unlink ${quote(b)}`, linkDir: to, linkBytes: recLen(name) });
      plan.phase2.push(`unlink ${quote(a)}`);
    }
  }
  plan.phase2.push(`rmdir ${quote(from)}`); // after its children's: postorder
}

/** Directory blocks that surely hold `bytes` of entries. */
const blocksFor = (bytes: number, blockSize: number) => Math.ceil(bytes / Math.max(blockSize - 12 - 263, 256));

const NO_SPACE = /No free space in the directory/;

/**
 * Runs a plan: phase 1 (retrying links into full directories after growing them), then phase 2.
 * @throws ImageFsError naming the first failing command; after a phase-1 failure, phase 1 is undone
 */
export function applyRename(run: DebugfsRunner, spec: string, what: string, plan: RenamePlan, blockSize: number): void {
  let pending = plan.phase1;
  const done: Step[] = [];
  for (let round = 0; pending.length; round++) {
    const failures = runBatch(run, spec, pending.map((s) => s.command), true);
    const failed = new Map(failures.map((f) => [f.index, f]));
    pending.forEach((s, i) => { if (!failed.has(i)) done.push(s); });
    const retry = failures.filter((f) => pending[f.index]?.linkDir !== undefined && NO_SPACE.test(f.message));
    if (retry.length === failures.length && retry.length > 0 && round < 64) {
      // Grow each full directory by enough blocks for the names that did not fit, then link them again.
      const bytes = new Map<string, number>();
      for (const f of retry) bytes.set(pending[f.index]!.linkDir!, (bytes.get(pending[f.index]!.linkDir!) ?? 0) + (pending[f.index]!.linkBytes ?? 263));
      const grow = [...bytes].flatMap(([d, n]) => Array.from({ length: blocksFor(n, blockSize) }, () => ({ command: `expand_dir ${quote(d)}`, undo: null })));
      pending = [...grow, ...retry.map((f) => pending[f.index]!)];
      continue;
    }
    if (failures.length) {
      const undo = done.reverse().flatMap((s) => (s.undo ? [s.undo] : []));
      const undoFailures = runBatch(run, spec, undo, true);
      throw renameError(what, spec, failures[0]!, undoFailures.length ? ` (undoing it failed too: "${undoFailures[0]!.command}": ${undoFailures[0]!.message})` : '');
    }
    pending = [];
  }
  const failures = runBatch(run, spec, plan.phase2, true);
  if (failures.length) throw renameError(what, spec, failures[0]!, ' (the new names are in place; old names remain)');
}

function renameError(what: string, spec: string, f: BatchFailure, tail: string): ImageFsError {
  return new ImageFsError(`Cannot ${what} in "${spec}": "${f.command}" failed: ${f.message}${tail}`, 'EIO');
}

/** The block size of the ext4 filesystem at `offset` in `image` (superblock at 1024, s_log_block_size at +24). */
export function ext4BlockSize(image: string, offset: number): number {
  const fd = openSync(image, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, offset + 1024 + 24);
    const log = b.readUInt32LE(0);
    return log <= 6 ? 1024 << log : 4096;
  } finally {
    closeSync(fd);
  }
}
