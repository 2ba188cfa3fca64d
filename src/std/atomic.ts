// Durable file replacement: write a temporary file beside the target, fsync it, rename it over the target,
// fsync the folder. A power cut leaves either the old or the new content, never a torn file. One helper for
// every subsystem; the sync twin serves the trainer and worker paths that do not run an event loop turn.
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** What the sync writer takes: text, bytes, or several byte views written one after another (no concat). */
export type AtomicData = string | ArrayBufferView | readonly ArrayBufferView[];

/** A temporary name in the target's own folder (a rename across file systems would not be atomic). */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Atomically replaces `path` with `data`, created with exactly `mode` (permission bits, whatever the umask).
 * The folder must exist.
 * @throws the underlying fs error (ENOENT when the folder is missing, EACCES, ENOSPC); the temporary file is
 *   removed on failure
 * @example await writeFileAtomic('/data/dialogos/keys/machine.key', pem, 0o600)
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = tempPath(path);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      // The umask may have narrowed the mode; a private key must end exactly at `mode`.
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
}

/**
 * The synchronous twin of {@link writeFileAtomic}, for code without an event loop turn to spare (the trainer
 * writing checkpoints between steps, GGUF output). `data` may be several views, written in order.
 * @throws the underlying fs error; the temporary file is removed on failure
 */
export function writeFileAtomicSync(path: string, data: AtomicData, mode = 0o644): void {
  const tmp = tempPath(path);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      const parts = typeof data === 'string' ? [Buffer.from(data)] : Array.isArray(data) ? data : [data as ArrayBufferView];
      for (const part of parts) {
        const buf = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
        let off = 0;
        while (off < buf.length) off += writeSync(fd, buf, off);
      }
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirSync(dirname(path));
}

/** Makes a rename or a new entry in `dir` durable. @throws the underlying fs error (ENOENT, EACCES) */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The synchronous twin of {@link fsyncDir}. */
export function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
