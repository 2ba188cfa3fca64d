// Garbage collection. The state is written first and directories are removed after, so a power cut
// leaves at worst an orphan directory (harmless, fsck removes it), never a state naming a missing
// generation. Protected, whatever `keep` says: booted, lastGood, default, oneShot, the running
// trial, recovery and pinned generations, and staged ones that still have tries.
import { randomBytes } from 'node:crypto';
import { joinPath } from './fs.js';
import { isGenerationId } from './id.js';
import type { Store } from './store.js';
import type { StoreState } from './types.js';

export interface GcOptions {
  /** Good, unprotected generations to keep besides the protected ones (newest first). Default 2. */
  keep?: number;
  dryRun?: boolean;
}

export interface GcResult {
  /** Generations whose records and directories are (or, dry run, would be) removed. */
  removed: string[];
  /** Directories in gens/ that no state record names. */
  orphans: string[];
  /** Leftover entries in staging/. */
  staging: string[];
}

/** The ids GC must never remove. */
export function protectedIds(state: StoreState): Set<string> {
  const ids = new Set<string>();
  for (const id of [state.booted?.id, state.lastGood, state.default, state.oneShot, state.trial?.id]) if (id) ids.add(id);
  for (const [id, r] of Object.entries(state.generations)) {
    if (r.pinned || r.recovery || (r.status === 'staged' && r.triesLeft > 0)) ids.add(id);
  }
  return ids;
}

/** Which generations a GC of `state` removes. */
export function gcPlan(state: StoreState, keep: number): string[] {
  const keepSet = protectedIds(state);
  const entries = Object.entries(state.generations).filter(([id]) => !keepSet.has(id));
  const bad = entries.filter(([, r]) => r.status === 'bad').map(([id]) => id);
  const oldGood = entries
    .filter(([, r]) => r.status === 'good')
    .sort(([, a], [, b]) => b.version - a.version)
    .slice(Math.max(0, keep))
    .map(([id]) => id);
  return [...bad, ...oldGood].sort();
}

/**
 * Removes bad and old good generations, orphan generation directories and staging leftovers.
 * @throws StoreLockedError; I/O errors
 */
export async function gc(store: Store, options: GcOptions = {}): Promise<GcResult> {
  const keep = options.keep ?? 2;
  const plan = async (state: StoreState): Promise<GcResult> => ({
    removed: gcPlan(state, keep),
    orphans: (await store.listDir(store.layout.gens)).filter((n) => isGenerationId(n) && !Object.hasOwn(state.generations, n)),
    staging: await store.listDir(store.layout.staging),
  });
  if (options.dryRun) return plan((await store.readState()).state);
  return store.update(
    async (state) => {
      const result = await plan(state);
      for (const id of result.removed) delete state.generations[id];
      return result;
    },
    async (result) => {
      for (const name of result.staging) await store.fs.rm(joinPath(store.layout.staging, name));
      for (const id of [...result.removed, ...result.orphans]) await removeGenerationDir(store, id);
    },
  );
}

/** Moves gens/<id> into staging/ (atomic), then deletes it: a half-deleted tree is never in gens/. */
export async function removeGenerationDir(store: Store, id: string): Promise<void> {
  if (!(await store.hasDir(id))) return;
  const trash = joinPath(store.layout.staging, `gc-${id}-${randomBytes(4).toString('hex')}`);
  await store.fs.mkdir(store.layout.staging);
  await store.fs.rename(store.layout.genDir(id), trash);
  await store.fs.fsyncDir(store.layout.gens);
  await store.fs.rm(trash);
}
