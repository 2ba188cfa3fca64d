// Which files of a source root the index reads, what kind each is, and their content hashes.
// Build output, dependencies and hidden folders are skipped; binary and enormous files are noted, not read.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SourceRootError } from './errors.js';
import type { FileKind, IndexNote } from './types.js';

/** Files larger than this are listed with a note and not analysed (a bundle or a data dump, not source). */
export const MAX_FILE_BYTES = 1024 * 1024;

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git']);
// The generation tree's CLI bundle lives in bin/; it is built output, not source.
const SKIP_TOP = new Set(['bin', 'build', 'out', 'coverage']);
const SKIP_FILES = new Set(['package-lock.json']);
const TS = /\.(ts|mts|cts|tsx)$/;
const TEXT = /\.(mjs|cjs|js|sh|json|c|h|txt|ya?ml|toml|conf|service)$/;

export interface SourceFile {
  path: string;
  kind: FileKind;
  hash: string;
  text?: string;
  note?: IndexNote;
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Kind of a file by its name alone (before looking at content). */
export function kindByName(path: string): FileKind | undefined {
  if (TS.test(path)) return 'ts';
  if (path.endsWith('.md')) return 'markdown';
  if (TEXT.test(path) || !/\.[^/]*$/.test(path.split('/').pop()!)) return 'text';
  return undefined;
}

/** Relative paths of every candidate file under root, sorted. @throws SourceRootError when root is not a directory */
export function listFiles(root: string): string[] {
  let st;
  try { st = statSync(root); } catch (err) {
    throw new SourceRootError(`Cannot index "${root}": it does not exist; pass --source DIR with a source tree`, { cause: err });
  }
  if (!st.isDirectory()) throw new SourceRootError(`Cannot index "${root}": it is not a directory; pass --source DIR with a source tree`);
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      if (ent.name.startsWith('.') || SKIP_DIRS.has(ent.name)) continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) { if (rel || !SKIP_TOP.has(ent.name)) walk(join(dir, ent.name), r); }
      else if (ent.isFile() && !SKIP_FILES.has(ent.name) && kindByName(r)) out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}

/** Reads one file: its hash always, its text when it is small, readable and not binary. */
export function readSource(root: string, path: string): SourceFile {
  const kind = kindByName(path)!;
  let buf: Buffer;
  try { buf = readFileSync(join(root, path)); } catch (err) {
    const note: IndexNote = { path, reason: 'unreadable', message: `Cannot read "${path}": ${(err as Error).message}` };
    return { path, kind: 'skipped', hash: '', note };
  }
  const hash = sha256(buf);
  if (buf.length > MAX_FILE_BYTES) {
    const note: IndexNote = { path, reason: 'too-large', message: `Skipped "${path}": ${buf.length} bytes is over the ${MAX_FILE_BYTES}-byte limit for source files` };
    return { path, kind: 'skipped', hash, note };
  }
  if (buf.subarray(0, 8192).includes(0)) {
    const note: IndexNote = { path, reason: 'binary', message: `Skipped "${path}": it is binary (a NUL byte in its first 8 KiB)` };
    return { path, kind: 'skipped', hash, note };
  }
  return { path, kind, hash, text: buf.toString('utf8') };
}

/** Current hashes of every candidate file (reads each file once). */
export function scanTree(root: string): Map<string, SourceFile> {
  const m = new Map<string, SourceFile>();
  for (const p of listFiles(root)) m.set(p, readSource(root, p));
  return m;
}
