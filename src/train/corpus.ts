// The training corpus: a generation's own source, tests and docs, in a fixed order, split by file into a
// training set and a held-out set the model never sees (chosen by a seeded hash of the path, so adding a file
// does not reshuffle the others).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CorpusError } from './errors.js';

/** One file of the corpus. */
export interface CorpusFile {
  path: string;
  text: string;
}

export interface Corpus {
  train: CorpusFile[];
  heldOut: CorpusFile[];
  /** sha256 over paths and contents of all files, in order: the cache key of a trained model. */
  digest: string;
  bytes: number;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.dialogos']);

/** Which files of a source tree belong to the corpus (paths relative to the root, '/'-separated). */
export function isCorpusPath(rel: string): boolean {
  if (/^src\/.*\.ts$/.test(rel)) return true;
  if (/^docs\/.*\.md$/.test(rel)) return true;
  if (/(^|\/)README\.md$/.test(rel)) return true;
  if (/^(bench|scripts)\/.*\.(ts|mjs|js|sh|md|json)$/.test(rel)) return true;
  if (/^native\/[^/]*\.c$/.test(rel)) return true;
  return false;
}

function walk(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(root, full, out);
    } else if (st.isFile() && st.size < 512 * 1024) {
      const rel = relative(root, full).split('\\').join('/');
      if (isCorpusPath(rel)) out.push(rel);
    }
  }
}

/** Seed of the held-out split: fixed, so models trained with different seeds are compared on the same files. */
export const SPLIT_SEED = 1;

/** True when `path` falls in the held-out split for `seed` (about `fraction` of files). */
export function isHeldOut(path: string, seed: number, fraction = 0.1): boolean {
  const h = createHash('sha256').update(`${seed}:${path}`).digest();
  return h.readUInt32BE(0) / 4294967296 < fraction;
}

/**
 * Reads the corpus of a source tree.
 * @throws CorpusError when the tree has no corpus files
 */
export function loadCorpus(root: string, seed = SPLIT_SEED, fraction = 0.1): Corpus {
  const paths: string[] = [];
  try {
    walk(root, root, paths);
  } catch (cause) {
    throw new CorpusError(`Cannot read the source tree "${root}": ${(cause as Error).message}; give --source DIR`, { cause });
  }
  if (paths.length === 0) throw new CorpusError(`Cannot build a corpus from "${root}": no src/**/*.ts, docs/**/*.md or README.md there; give --source DIR`);
  const hash = createHash('sha256');
  const train: CorpusFile[] = [];
  const heldOut: CorpusFile[] = [];
  let bytes = 0;
  for (const path of paths) {
    const text = readFileSync(join(root, path), 'utf8');
    hash.update(`${path}\0${text.length}\0`).update(text);
    bytes += Buffer.byteLength(text);
    (isHeldOut(path, seed, fraction) ? heldOut : train).push({ path, text });
  }
  return { train, heldOut, digest: hash.digest('hex'), bytes };
}
