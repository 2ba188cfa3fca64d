// state.json: parsing, the durable replace (tmp, fsync, rename, fsync dir, keeping a .bak made the
// same way), and a boot that never dies on a bad state file: fall back to the .bak, else rebuild
// from the generation directories and say so.
import { z } from 'zod';
import { StateCorruptError, isNotFound } from './errors.js';
import type { FileSystem } from './fs.js';
import { isGenerationId, parseGenerationId } from './id.js';
import type { StoreLayout } from './layout.js';
import { describeIssue } from './manifest.js';
import type { StoreState } from './types.js';

/** How many boots the history keeps. */
export const HISTORY_LIMIT = 50;

const genId = z.string().refine(isGenerationId, { message: 'not a generation id' });
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const bootRecord = z.strictObject({
  id: genId,
  at: z.string(),
  reason: z.enum(['default', 'oneshot', 'menu', 'fallback', 'recovery', 'kexec']),
  attempt: count,
  fallbackFrom: genId.nullable(),
  fallbackReason: z.string().nullable(),
});
const stateSchema = z.strictObject({
  schema: z.literal(1),
  generations: z.record(genId, z.strictObject({
    version: count,
    status: z.enum(['staged', 'good', 'bad']),
    triesLeft: count,
    priority: z.number().int().min(-1000000).max(1000000),
    pinned: z.boolean(),
    recovery: z.boolean(),
    addedAt: z.string(),
    blessedAt: z.string().nullable(),
    badReason: z.string().nullable(),
  })),
  default: genId.nullable(),
  oneShot: genId.nullable(),
  floor: count,
  lastGood: genId.nullable(),
  trial: z.strictObject({ id: genId, startedAt: z.string() }).nullable(),
  booted: bootRecord.nullable(),
  history: z.array(bootRecord),
});

/** The state of a store that has never been written. */
export function initialState(): StoreState {
  return { schema: 1, generations: {}, default: null, oneShot: null, floor: 0, lastGood: null, trial: null, booted: null, history: [] };
}

/**
 * Parses state.json bytes.
 * @throws StateCorruptError naming the first refused field
 */
export function parseState(bytes: Uint8Array): StoreState {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new StateCorruptError(`Store state refused: not UTF-8 JSON (${(err as Error).message})`, { cause: err });
  }
  const r = stateSchema.safeParse(json);
  if (!r.success) throw new StateCorruptError(`Store state refused: ${describeIssue(r.error.issues[0]!, json).text}`, { cause: r.error });
  return r.data as StoreState;
}

export function encodeState(state: StoreState): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`);
}

export interface LoadedState {
  state: StoreState;
  /** Set when state.json could not be used and the state came from the .bak or a rebuild. */
  problem: StateCorruptError | null;
  source: 'state' | 'backup' | 'rebuilt' | 'initial';
}

/**
 * Reads the store state; never throws for a missing or corrupt state file.
 * @throws only I/O errors other than ENOENT from the file system
 */
export async function loadState(fs: FileSystem, layout: StoreLayout, now: () => string): Promise<LoadedState> {
  let problem: StateCorruptError | null = null;
  try {
    return { state: parseState(await fs.readFile(layout.state)), problem: null, source: 'state' };
  } catch (err) {
    if (isNotFound(err)) {
      // Never written: a fresh store, unless a crash hit the very first write after a generation
      // directory appeared; then rebuilding keeps that generation visible.
      if (!(await hasGenerations(fs, layout))) return { state: initialState(), problem: null, source: 'initial' };
      problem = new StateCorruptError(`Store state "${layout.state}" is missing although generations exist`, { cause: err });
    } else if (err instanceof StateCorruptError) {
      problem = err;
    } else {
      problem = new StateCorruptError(`Store state "${layout.state}" is unreadable: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    return { state: parseState(await fs.readFile(layout.stateBak)), problem, source: 'backup' };
  } catch {
    return { state: await rebuildState(fs, layout, now()), problem, source: 'rebuilt' };
  }
}

async function hasGenerations(fs: FileSystem, layout: StoreLayout): Promise<boolean> {
  try {
    return (await fs.readdir(layout.gens)).some(isGenerationId);
  } catch {
    return false;
  }
}

/**
 * A state from the generation directories alone. They were all signed by a trusted key when added
 * and are verified again before boot, so they come back `good` (bootable); pins, recovery and the
 * floor are lost and must be set again, which fsck reports.
 */
export async function rebuildState(fs: FileSystem, layout: StoreLayout, at: string): Promise<StoreState> {
  const state = initialState();
  let names: string[] = [];
  try {
    names = await fs.readdir(layout.gens);
  } catch {
    return state;
  }
  for (const id of names.filter(isGenerationId)) {
    state.generations[id] = {
      version: parseGenerationId(id).version, status: 'good', triesLeft: 0, priority: 0, pinned: false,
      recovery: false, addedAt: at, blessedAt: null, badReason: null,
    };
  }
  const newest = Object.keys(state.generations).sort((a, b) => parseGenerationId(b).version - parseGenerationId(a).version)[0];
  state.default = newest ?? null;
  return state;
}

async function replaceFile(fs: FileSystem, tmp: string, target: string, dir: string, bytes: Uint8Array): Promise<void> {
  await fs.writeFile(tmp, bytes);
  await fs.fsyncFile(tmp);
  await fs.rename(tmp, target);
  await fs.fsyncDir(dir);
}

/**
 * Durably replaces state.json, first copying the current one to state.json.bak the same way, so
 * that at every instant both names hold a complete state (or are absent).
 */
export async function writeState(fs: FileSystem, layout: StoreLayout, state: StoreState): Promise<void> {
  await fs.mkdir(layout.store);
  let current: Uint8Array | null = null;
  try {
    current = await fs.readFile(layout.state);
    parseState(current);
  } catch {
    current = null; // nothing usable to keep: the old .bak stays
  }
  if (current) await replaceFile(fs, layout.stateBakTmp, layout.stateBak, layout.store, current);
  await replaceFile(fs, layout.stateTmp, layout.state, layout.store, encodeState(state));
}
