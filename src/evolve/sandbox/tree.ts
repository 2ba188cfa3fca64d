// The candidate's side of the overlay: its added and changed files written into the upper dir before the
// mount, its deletions listed for the setup script to remove in the merged view (no whiteouts to forge by
// hand). Every path is checked first: relative, forward slashes, no "..", so nothing lands outside upper.
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileChange } from '../candidate.js';
import { SandboxRequestError } from './errors.js';

/** @throws SandboxRequestError when a path could escape the tree */
export function checkPath(path: string, what: string): void {
  const parts = path.split('/');
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes('\0') || parts.some((p) => p === '..' || p === '' || p === '.')) {
    throw new SandboxRequestError(`Cannot run the candidate: ${what} "${path}" is not a plain relative path inside the tree`);
  }
}

/**
 * Writes the changes into `upper` (a changed file keeps the parent's mode, so scripts stay executable)
 * and the deletions, NUL-separated, into `deletionsFile`.
 * @throws SandboxRequestError for a path that could escape the tree
 */
export async function writeChanges(changes: FileChange[], upper: string, deletionsFile: string, lower: string): Promise<void> {
  for (const c of changes) checkPath(c.path, 'the changed file');
  const deleted: string[] = [];
  for (const c of changes) {
    if (c.after === null) {
      deleted.push(c.path);
      continue;
    }
    const to = join(upper, c.path);
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, c.after);
    const mode = (await stat(join(lower, c.path)).catch(() => null))?.mode;
    if (mode !== undefined) await chmod(to, mode & 0o7777);
  }
  await writeFile(deletionsFile, deleted.map((p) => `${p}\0`).join(''));
}

/** `K=V` words for `env -i`; a key that env or the shell would misread is refused. */
export function envWords(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || v.includes('\0')) {
      throw new SandboxRequestError(`Cannot run the candidate: environment variable "${k}" has a name or value the sandbox cannot pass`);
    }
    return `${k}=${v}`;
  });
}
