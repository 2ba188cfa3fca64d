// Builds a candidate's view of a parent tree in a fresh folder without copying it: the folders a run loads
// code from are mirrored file by file with hard links (a copy across file systems), so that module
// resolution stays inside the view; every other top-level entry is one symbolic link to the parent's; the
// candidate's files are then written over the mirror (after unlinking, so the parent's file is never
// written through its link). It does not isolate: a process in the view can write through a hard link.
import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileChange } from '../candidate.js';
import { TreeMaterialiseError } from './errors.js';

/** Top-level folders mirrored by default: where the project's code and its test runner live. */
export const MIRRORED = ['src', 'dist', 'scripts'] as const;

const isPlainPath = (p: string): boolean =>
  p.length > 0 && !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    copyFileSync(from, to);
  }
}

function mirrorDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const a = join(from, name);
    const b = join(to, name);
    const st = lstatSync(a);
    if (st.isDirectory()) mirrorDir(a, b);
    else if (st.isSymbolicLink()) symlinkSync(readlinkSync(a), b);
    else if (st.isFile()) linkOrCopy(a, b);
  }
}

/** A change written below a symbolic link would land in the parent's tree: refuse it. */
function refuseLinkOnPath(dir: string, path: string): void {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const p = join(dir, ...parts.slice(0, i));
    let link = false;
    try { link = lstatSync(p).isSymbolicLink(); } catch { return; }
    if (link) throw new TreeMaterialiseError(`Cannot write "${path}" into the candidate's view: "${parts.slice(0, i).join('/')}" is a link to the parent's tree`);
  }
}

/**
 * Writes the view of `lower` with `changes` applied into the empty folder `dir`.
 * @throws TreeMaterialiseError when a change's path is not a plain relative path, or the parent is unreadable
 */
export function materialise(lower: string, changes: readonly FileChange[], dir: string, mirror: readonly string[] = MIRRORED): void {
  for (const c of changes) {
    if (!isPlainPath(c.path)) throw new TreeMaterialiseError(`Cannot build the candidate's view: path "${c.path}" is not a plain relative path`);
  }
  const mirrored = new Set([...mirror, ...changes.map((c) => c.path.split('/')[0]!)]);
  try {
    for (const name of readdirSync(lower)) {
      const a = join(lower, name);
      const st = lstatSync(a);
      if (st.isDirectory() && mirrored.has(name)) mirrorDir(a, join(dir, name));
      else if (st.isFile() && mirrored.has(name)) linkOrCopy(a, join(dir, name));
      else symlinkSync(a, join(dir, name));
    }
    for (const c of changes) {
      const p = join(dir, c.path);
      refuseLinkOnPath(dir, c.path);
      rmSync(p, { force: true, recursive: true });
      if (c.after === null) continue;
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, c.after);
    }
  } catch (err) {
    if (err instanceof TreeMaterialiseError) throw err;
    throw new TreeMaterialiseError(`Cannot build the candidate's view of "${lower}" in "${dir}": ${(err as Error).message}`, { cause: err });
  }
}
