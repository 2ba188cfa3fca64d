// The index's content digest: one hash over every file's path and content hash. An index that is up to
// date with its tree has the tree's digest, so a cache of anything derived from the index (the dialog's
// retrieval catalog) can be checked against the tree without loading the index itself.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexData } from './types.js';
import { listFiles, readSource } from './walk.js';

function digestOf(pairs: Iterable<[string, string]>): string {
  const h = createHash('sha256');
  for (const [path, hash] of [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) h.update(`${path}\0${hash}\n`);
  return h.digest('hex');
}

/** The content digest of an index: what it knows of every file, by path and content hash. */
export function contentDigest(data: Pick<IndexData, 'files'>): string {
  return digestOf(Object.values(data.files).map((f) => [f.path, f.hash]));
}

/** What a file's hash was when it had this size and modification time. */
export interface FileStamp { size: number; mtimeMs: number; hash: string }

export interface TreeDigest {
  digest: string;
  /** Every file's stamp now, for the next call; stamps too fresh to trust are left out. */
  stamps: Record<string, FileStamp>;
}

/** A file modified this close to when it was stamped may change again within the same mtime: it is read again. */
const RACY_MS = 2000;

/**
 * The content digest the index of `root` has once it is brought up to date: the same files the index
 * reads, by content hash. A file whose size and mtime match its stamp from an earlier call is not read
 * again (as git's index does); any other file is read and hashed.
 * @throws SourceRootError when the root cannot be listed
 */
export function treeDigest(root: string, stamps: Record<string, FileStamp> = {}): TreeDigest {
  const now = Date.now();
  const out: Record<string, FileStamp> = {};
  const pairs: Array<[string, string]> = [];
  for (const p of listFiles(root)) {
    let st: { size: number; mtimeMs: number } | undefined;
    try { st = statSync(join(root, p)); } catch { st = undefined; }
    const old = stamps[p];
    const hash = st && old && old.size === st.size && old.mtimeMs === st.mtimeMs ? old.hash : readSource(root, p).hash;
    if (st && now - st.mtimeMs > RACY_MS) out[p] = { size: st.size, mtimeMs: st.mtimeMs, hash };
    pairs.push([p, hash]);
  }
  return { digest: digestOf(pairs), stamps: out };
}
