// Store consistency check: what a power cut, a bad disk or a hand edit can leave behind, each with
// the repair that makes the store clean again. Boot never needs fsck to run: the policy copes with
// every problem here; fsck is for the owner and for dialogosd after a good boot.
import { PERMANENT_FAILURES } from './errors.js';
import { joinPath } from './fs.js';
import { isGenerationId, parseGenerationId } from './id.js';
import type { TrustConfig } from './keys.js';
import type { Store } from './store.js';
import * as t from './transitions.js';
import type { StoreState } from './types.js';
import { verifyGeneration } from './verify.js';
import { removeGenerationDir } from './gc.js';

export type FsckKind =
  | 'state-corrupt' // state.json unusable; running on the .bak or a rebuild
  | 'orphan-staging' // leftover in staging/ (an interrupted add or gc)
  | 'orphan-dir' // gens/<id> without a state record (a crash between rename and state write)
  | 'missing-dir' // a state record without gens/<id>
  | 'corrupt' // verification failed for good (signature, digest, manifest)
  | 'unverifiable' // verification failed for a reason that may pass (untrusted key, I/O)
  | 'dangling-ref' // default/oneShot/lastGood/trial/booted names no record
  | 'recovery-unpinned'
  | 'stray-entry'; // a non-generation name in gens/

export interface FsckProblem {
  kind: FsckKind;
  /** The generation id, path or state field concerned. */
  subject: string;
  message: string;
}

async function check(store: Store, state: StoreState, problem: string | null, trust: TrustConfig): Promise<FsckProblem[]> {
  const out: FsckProblem[] = [];
  if (problem) out.push({ kind: 'state-corrupt', subject: 'state.json', message: problem });
  for (const name of await store.listDir(store.layout.staging)) {
    out.push({ kind: 'orphan-staging', subject: name, message: `Leftover "${name}" in staging/ (an interrupted add or gc)` });
  }
  const dirs = await store.listDir(store.layout.gens);
  for (const name of dirs) {
    if (!isGenerationId(name)) out.push({ kind: 'stray-entry', subject: name, message: `"${name}" in gens/ is not a generation id` });
    else if (!Object.hasOwn(state.generations, name)) out.push({ kind: 'orphan-dir', subject: name, message: `Generation directory "${name}" has no state record` });
  }
  for (const [id, r] of Object.entries(state.generations)) {
    if (!dirs.includes(id)) {
      out.push({ kind: 'missing-dir', subject: id, message: `Generation "${id}" is in the state but its directory is missing` });
      continue;
    }
    if (r.recovery && !r.pinned) out.push({ kind: 'recovery-unpinned', subject: id, message: `Recovery generation "${id}" is not pinned` });
    try {
      await verifyGeneration(store.fs, store.root, id, trust);
    } catch (err) {
      const e = err as Error;
      const kind = PERMANENT_FAILURES.has(e.name) ? 'corrupt' : 'unverifiable';
      if (kind === 'corrupt' && r.status === 'bad') continue; // already condemned; gc removes it
      out.push({ kind, subject: id, message: `${e.name}: ${e.message}` });
    }
  }
  for (const [field, id] of refs(state)) {
    if (id !== null && !Object.hasOwn(state.generations, id)) {
      out.push({ kind: 'dangling-ref', subject: field, message: `State field "${field}" names generation "${id}", which is not in the store` });
    }
  }
  return out;
}

function refs(state: StoreState): [string, string | null][] {
  return [['default', state.default], ['oneShot', state.oneShot], ['lastGood', state.lastGood], ['trial', state.trial?.id ?? null], ['booted', state.booted?.id ?? null]];
}

/**
 * Checks the store; with `repair`, fixes what it found and returns the problems found before.
 * Repairs: staging leftovers and stray or failing orphan dirs removed; orphan dirs that verify
 * adopted as added (staged, no tries); records without directories dropped; corrupt generations
 * marked bad; dangling references cleared; recovery pinned; the state rewritten.
 * @throws StoreLockedError (repair only); I/O errors
 */
export async function fsck(store: Store, trust: TrustConfig, options: { repair?: boolean } = {}): Promise<FsckProblem[]> {
  const loaded = await store.readState();
  const found = await check(store, loaded.state, loaded.problem?.message ?? null, trust);
  if (!options.repair || found.length === 0) return found;
  await store.update(
    async (state) => {
      const again = await check(store, state, null, trust);
      const removeDirs: string[] = [];
      for (const p of again) {
        if (p.kind === 'orphan-dir') {
          try {
            await verifyGeneration(store.fs, store.root, p.subject, trust);
            state.generations[p.subject] = t.newRecord(parseGenerationId(p.subject).version, store.now());
          } catch {
            removeDirs.push(p.subject);
          }
        } else if (p.kind === 'missing-dir') {
          delete state.generations[p.subject];
        } else if (p.kind === 'corrupt') {
          t.applyBad(state, p.subject, `fsck: ${p.message}`);
        } else if (p.kind === 'recovery-unpinned') {
          t.recordOf(state, p.subject).pinned = true;
        }
      }
      clearDangling(state);
      return { removeDirs, strays: again.filter((p) => p.kind === 'stray-entry').map((p) => p.subject) };
    },
    async ({ removeDirs, strays }) => {
      for (const name of await store.listDir(store.layout.staging)) await store.fs.rm(joinPath(store.layout.staging, name));
      for (const id of removeDirs) await removeGenerationDir(store, id);
      for (const name of strays) await store.fs.rm(joinPath(store.layout.gens, name));
    },
  );
  return found;
}

function clearDangling(state: StoreState): void {
  const has = (id: string | null | undefined): boolean => !!id && Object.hasOwn(state.generations, id);
  if (!has(state.default)) state.default = state.lastGood && has(state.lastGood) ? state.lastGood : null;
  if (!has(state.oneShot)) state.oneShot = null;
  if (!has(state.lastGood)) state.lastGood = null;
  if (state.trial && !has(state.trial.id)) state.trial = null;
  if (state.booted && !has(state.booted.id)) state.booted = null;
}
