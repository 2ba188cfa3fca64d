// Durable file replacement: write a temporary file, fsync it, rename it over the target, fsync the
// directory. A power cut leaves either the old or the new content, never a torn file.
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Atomically replaces `path` with `data`, created with `mode` (permission bits).
 * @throws the underlying fs error (ENOENT when the directory is missing, EACCES, ENOSPC); the temporary
 *   file is removed on failure.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
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
  await fsyncDir(dir);
}

/** Makes a rename or a new directory entry in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
