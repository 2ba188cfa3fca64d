// Which generation store a `dialogos gen` command works on: a directory (inside Dialogos, /data/dialogos)
// or the data partition of a disk image on a build host (through debugfs). An image that a running VM
// holds open is only read: writing under a booted system would corrupt its ext4.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { Store, createNodeFileSystem, type FileSystem } from '../gen/index.js';
import { DATA_PARTITION, findPartition, openDataPartition } from '../image/index.js';

/** The image's data partition was not shut down cleanly: debugfs cannot replay its journal in place. */
export class ImageNeedsRecoveryError extends Error {
  override name = 'ImageNeedsRecoveryError';
}

/** ext4's "needs_recovery" (EXT4_FEATURE_INCOMPAT_RECOVER) in the superblock at `offset` of `path`. */
export function ext4NeedsRecovery(path: string, offset: number): boolean {
  const fd = openSync(path, 'r');
  try {
    const sb = Buffer.alloc(1024);
    readSync(fd, sb, 0, 1024, offset + 1024);
    if (sb.readUInt16LE(0x38) !== 0xef53) return false; // not ext4: the store code reports that itself
    return (sb.readUInt32LE(0x60) & 0x4) !== 0;
  } finally {
    closeSync(fd);
  }
}

/** A change was asked of a disk image that a running VM holds open. */
export class ImageInUseError extends Error {
  override name = 'ImageInUseError';
}

export interface StoreTarget {
  fs: FileSystem;
  root: string;
  store: Store;
  /** The disk image, when the store lives in one. */
  image: string | null;
  readOnly: boolean;
}

/**
 * Whether any process holds a lock on `path` (QEMU takes OFD locks on the disk images it runs; `flock`
 * and fcntl locks show up the same way in /proc/locks, keyed by device and inode).
 */
export function imageLockHolders(path: string, locksText = readFileSync('/proc/locks', 'utf8')): number[] {
  const st = statSync(path);
  const pids: number[] = [];
  for (const line of locksText.split('\n')) {
    // "1: OFDLCK ADVISORY  READ  -1 fd:01:1234567 100 100" (the pid is -1 for OFD locks)
    const m = /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!m || Number(m[4]) !== st.ino) continue;
    const dev = (parseInt(m[2]!, 16) << 8) | parseInt(m[3]!, 16);
    if ((st.dev & 0xfffff) !== dev && st.dev !== dev) continue;
    pids.push(Number(m[1]));
  }
  return pids;
}

const WRITES = ['writeFile', 'appendFile', 'fsyncFile', 'fsyncDir', 'rename', 'mkdir', 'rm', 'chmod', 'symlink'] as const;

/** The same file system with every change refused, naming the image and why. */
export function readOnlyFileSystem(fs: FileSystem, image: string): FileSystem {
  const refuse = (op: string, path: unknown) => async () => {
    throw new ImageInUseError(
      `Cannot ${op} "${String(path)}" in disk image "${image}": a running VM has it open; stop the VM or run the command inside it`,
    );
  };
  const guarded = Object.create(fs) as FileSystem;
  for (const op of WRITES) {
    (guarded as unknown as Record<string, unknown>)[op] = (path: unknown) => refuse(op, path)();
  }
  return guarded;
}

/**
 * Opens the store named by `--image FILE` (its data partition) or `--store DIR` (default
 * $DIALOGOS_STORE, else /data/dialogos).
 * @throws DiskLayoutError when the image has no Dialogos data partition
 */
export function openStoreTarget(opts: { store?: string; image?: string; env: Record<string, string | undefined> }): StoreTarget {
  const image = opts.image ?? null;
  if (image) {
    const readOnly = imageLockHolders(image).length > 0;
    // A VM that is running has a journal in use, which is why it is read-only; one that was cut off has
    // a journal to replay, and without the replay debugfs would show (and build on) stale state.
    if (!readOnly && ext4NeedsRecovery(image, findPartition(image, DATA_PARTITION).offset)) {
      throw new ImageNeedsRecoveryError(
        `Cannot use the data partition of "${image}": it was not shut down cleanly and its ext4 journal needs replaying; `
        + `boot it once (./dialogos up --image ${image}) or run the command inside the VM`,
      );
    }
    const base = openDataPartition(image);
    const fs = readOnly ? readOnlyFileSystem(base, image) : base;
    return { fs, root: '/dialogos', store: new Store(fs, '/dialogos'), image, readOnly };
  }
  const root = opts.store ?? opts.env.DIALOGOS_STORE ?? '/data/dialogos';
  const fs = createNodeFileSystem();
  return { fs, root, store: new Store(fs, root), image: null, readOnly: false };
}
