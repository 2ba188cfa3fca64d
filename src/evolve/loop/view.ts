// A parent candidate's tree for proposers to read: a folder of symlinks into the base tree, with real
// folders only along the changed paths and the candidate's files written there. Cheap (no copy of the
// tree), and the base tree is never written.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileChange } from '../candidate.js';

export interface TreeView {
  dir: string;
  dispose(): void;
}

/** Makes `dir/<rel>` a real folder whose entries link into `root/<rel>` (once per folder). */
function realFolder(root: string, dir: string, rel: string, done: Set<string>): void {
  if (done.has(rel)) return;
  done.add(rel);
  mkdirSync(join(dir, rel), { recursive: true });
  let names: string[] = [];
  try {
    names = readdirSync(join(root, rel));
  } catch {
    return; // a folder the candidate adds
  }
  for (const n of names) symlinkSync(join(root, rel, n), join(dir, rel, n));
}

/** The base tree `root` with `changes` over it; `dispose` removes the view (never the base). */
export function materialiseView(root: string, changes: readonly FileChange[]): TreeView {
  if (changes.length === 0) return { dir: root, dispose: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'evolve-view-'));
  const done = new Set<string>();
  for (const c of changes) {
    const parts = c.path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if (i > 0 && !done.has(rel)) rmSync(join(dir, rel), { force: true }); // the link to the base folder becomes a real one
      realFolder(root, dir, rel, done);
    }
    const file = join(dir, c.path);
    rmSync(file, { force: true });
    if (c.after !== null) writeFileSync(file, c.after);
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
