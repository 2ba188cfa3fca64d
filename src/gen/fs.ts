// The narrow file-system interface the store is written against, so that its logic (and its
// behaviour when power is cut between any two writes) is tested in memory, without root or a VM.
// Paths are absolute POSIX paths. Errors carry a node-style `code` (ENOENT, EEXIST, ENOTDIR, ...).

export type FileKind = 'file' | 'dir' | 'symlink' | 'other';

export interface FileStat {
  kind: FileKind;
  size: number;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
}

export interface WriteOptions {
  /** Permission bits of a newly created file (default 0o644). */
  mode?: number;
  /** Fail with EEXIST when the file exists (O_EXCL), for lock files. */
  exclusive?: boolean;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** Reads a file in chunks so that a 50 MB file is hashed without holding it in memory. */
  readChunks(path: string, chunkSize?: number): AsyncIterable<Uint8Array>;
  /**
   * Optional: a regular file's sha256 (hex) and size in one call, not following a link; without it the
   * store hashes what readChunks yields.
   */
  sha256?(path: string): Promise<{ sha256: string; size: number }>;
  /** Creates or truncates. */
  writeFile(path: string, data: Uint8Array | string, options?: WriteOptions): Promise<void>;
  appendFile(path: string, data: Uint8Array | string): Promise<void>;
  fsyncFile(path: string): Promise<void>;
  fsyncDir(path: string): Promise<void>;
  /** Atomic; replaces a file, or an empty directory, at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Like `mkdir -p`: existing directories are fine. */
  mkdir(path: string): Promise<void>;
  /** Names in the directory, sorted by code unit. */
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  lstat(path: string): Promise<FileStat>;
  /** Like `rm -rf`: a missing path is fine; symlinks are removed, not followed. */
  rm(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  chmod(path: string, mode: number): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
}

/** Joins POSIX path segments (no normalisation of `..`: callers pass validated names). */
export function joinPath(...parts: string[]): string {
  return parts.join('/').replace(/\/{2,}/g, '/');
}
