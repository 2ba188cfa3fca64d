// The out dir is the caller's folder: the run (an unprivileged uid) may write there, and afterwards every
// entry in it belongs to the folder's owner again, so nothing the run made stays owned by its uid.
import { lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  const st = await lstat(path);
  await lchown(path, uid, gid);
  if (st.isDirectory()) for (const e of await readdir(path)) await chownTree(join(path, e), uid, gid);
}

/** Gives `dir` to the run's uid; returns the function that gives it (and what the run made) back. */
export async function giveOut(dir: string, uid: number, gid: number): Promise<() => Promise<void>> {
  const st = await lstat(dir);
  await chownTree(dir, uid, gid);
  return () => chownTree(dir, st.uid, st.gid);
}
