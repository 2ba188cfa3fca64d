// Where the index lives between runs: one JSON file per source root under the state dir's mind/, written
// atomically. Opening an index brings it up to date with the tree (changed files only) before answering.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeIndex } from './api.js';
import { buildIndex, updateIndex, type BuildOptions } from './build.js';
import { IndexStoreError, SourceRootError } from './errors.js';
import { INDEX_VERSION, type IndexData, type UpdateSummary } from './types.js';
import { sha256 } from './walk.js';

/**
 * The mind/ directory: `<state>/mind` for --state DIR or $DIALOGOS_STATE, /data/dialogos/mind on the
 * machine, else ~/.cache/dialogos/mind on a build host.
 */
export function defaultStateDir(state?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (state) return join(resolve(state), 'mind');
  if (env.DIALOGOS_STATE) return join(resolve(env.DIALOGOS_STATE), 'mind');
  if (existsSync('/data/dialogos')) return '/data/dialogos/mind';
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dialogos', 'mind');
}

const isRoot = (d: string) => existsSync(join(d, 'src', 'cli', 'main.ts'));

/**
 * The source root to index: `source` when given; else the tree this program runs from (the repository,
 * or /dialogos in the OS), found upward from this module and then from the working directory.
 * @throws SourceRootError when none is found
 */
export function findSourceRoot(source?: string, cwd = process.cwd()): string {
  if (source) return resolve(cwd, source);
  for (const start of [dirname(fileURLToPath(import.meta.url)), cwd]) {
    for (let d = start; ; d = dirname(d)) {
      if (isRoot(d)) return d;
      if (dirname(d) === d) break;
    }
  }
  throw new SourceRootError(`Cannot find the Dialogos source tree above "${cwd}"; pass --source DIR`);
}

/** The index file of a source root inside a mind/ directory. */
export function indexFile(mindDir: string, root: string): string {
  return join(mindDir, `index-${sha256(resolve(root)).slice(0, 12)}.json`);
}

/** A saved index, or undefined when there is none or it is unreadable or of another format version. */
export function loadIndex(file: string): IndexData | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const d = JSON.parse(readFileSync(file, 'utf8')) as IndexData;
    return d.version === INDEX_VERSION && d.files && typeof d.files === 'object' ? d : undefined;
  } catch {
    return undefined; // a torn or foreign file: rebuilding is cheap and always right
  }
}

/** Writes the index atomically. @throws IndexStoreError when the directory is not writable */
export function saveIndex(index: CodeIndex | IndexData, file: string): void {
  const data = 'data' in index ? index.data : index;
  try {
    mkdirSync(dirname(file), { recursive: true });
    // A per-process temp name: two commands saving at once each rename a whole file, never a mix.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  } catch (err) {
    throw new IndexStoreError(`Cannot save the code index to "${file}": ${(err as Error).message}; pass --state DIR with a writable directory`, { cause: err });
  }
}

/**
 * The same index, valid for the tree at another path (records are relative to the root). Lets an image
 * builder index a generation tree on the host and save it for `/dialogos`, so the first query in the OS
 * only checks hashes: `saveIndex(rebaseIndex(ix.data, '/dialogos'), indexFile(mindDir, '/dialogos'))`.
 */
export function rebaseIndex(data: IndexData, root: string): IndexData {
  return { ...data, root: resolve(root) };
}

/**
 * A generation may carry its own index, made by the image build for the path it is booted at
 * (`/dialogos`): a first open with no saved index starts from it instead of from nothing.
 */
export const SHIPPED_INDEX = 'mind/index.json';

export interface OpenOptions extends BuildOptions {
  /** Source root (default: findSourceRoot()). */
  source?: string;
  /** The mind/ directory (default: defaultStateDir()). */
  mindDir?: string;
  /** Write the updated index back (default true). */
  save?: boolean;
}

export interface OpenResult {
  index: CodeIndex;
  /** What the update did (everything is "added" on a first build). */
  summary: UpdateSummary;
  file: string;
  /** True when no saved index was usable and it was built from scratch. */
  rebuilt: boolean;
}

/**
 * Loads the saved index of a source root and brings it up to date (or builds it), then saves it.
 * @throws SourceRootError, CompilerUnavailableError, IndexStoreError
 */
export async function openIndex(opts: OpenOptions = {}): Promise<OpenResult> {
  const root = findSourceRoot(opts.source);
  const file = indexFile(opts.mindDir ?? defaultStateDir(), root);
  const saved = loadIndex(file);
  const shipped = saved ? undefined : loadIndex(join(root, SHIPPED_INDEX));
  const old = saved ?? (shipped && resolve(shipped.root) === root ? shipped : undefined);
  const { index, summary } = old && resolve(old.root) === root
    ? await updateIndex(old, root, opts)
    : await (async () => {
      const t0 = Date.now();
      const index = await buildIndex(root, opts);
      return { index, summary: { added: Object.keys(index.data.files), removed: [], changed: [], dependents: [], ms: Date.now() - t0 } };
    })();
  const dirty = !saved || summary.added.length + summary.removed.length + summary.changed.length > 0;
  if (dirty && opts.save !== false) saveIndex(index, file);
  return { index, summary, file, rebuilt: !old };
}
