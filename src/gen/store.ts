// The generation store on the data partition: every change is lock, load, pure transition,
// durable state write. Generation directories appear only by an atomic rename out of staging/, so a
// power cut leaves either no directory or a complete one.
import { randomBytes } from 'node:crypto';
import { InvalidOperationError, isNotFound } from './errors.js';
import { joinPath, type FileSystem } from './fs.js';
import { generationId } from './id.js';
import type { TrustConfig } from './keys.js';
import { storeLayout, type StoreLayout } from './layout.js';
import { acquireLock, currentProcessOwner, type LockOwner } from './lock.js';
import { parseManifest } from './manifest.js';
import { verifyManifestSignature } from './signature.js';
import { loadState, writeState, type LoadedState } from './state.js';
import * as t from './transitions.js';
import type { Manifest, StoreState } from './types.js';
import { verifyTree } from './verify.js';

export interface StoreOptions {
  /** Clock for addedAt, blessedAt and boot records (ISO 8601). */
  now?: () => string;
  owner?: LockOwner;
}

/** Files of a new generation: a directory on the same FileSystem, or the bytes themselves. */
/** Where a new generation's files come from: a directory (on `fs`, default the store's own) or memory. */
export type TreeSource = { treeDir: string; fs?: FileSystem } | { files: Map<string, Uint8Array> };

export class Store {
  readonly layout: StoreLayout;
  readonly now: () => string;
  private readonly owner: LockOwner;

  /** A store rooted at `root` (the directory standing for /data/dialogos). No I/O happens here. */
  constructor(readonly fs: FileSystem, readonly root: string, options: StoreOptions = {}) {
    this.layout = storeLayout(root);
    this.now = options.now ?? (() => new Date().toISOString());
    this.owner = options.owner ?? currentProcessOwner();
  }

  /** The state, falling back to state.json.bak or a rebuild; `problem` says when it did. */
  readState(): Promise<LoadedState> {
    return loadState(this.fs, this.layout, this.now);
  }

  /**
   * Runs `change` on the current state under the store lock, writes the result durably, then runs
   * `after` still under the lock.
   * @throws StoreLockedError when another live process holds the lock; whatever `change` throws
   */
  async update<T>(change: (state: StoreState) => T | Promise<T>, after?: (result: T) => Promise<void>): Promise<T> {
    await this.fs.mkdir(this.layout.store);
    const lock = await acquireLock(this.fs, this.layout.lock, this.owner);
    let result: T;
    try {
      const { state } = await this.readState();
      result = await change(state);
      await writeState(this.fs, this.layout, state);
      // Work that must follow the durable state (removing directories the state no longer names).
      if (after) await after(result);
    } catch (err) {
      await lock.release().catch(() => undefined);
      throw err;
    }
    await lock.release();
    return result;
  }

  /** manifest.json of a stored generation, parsed (not signature-checked). @throws ManifestInvalidError, I/O errors */
  async readManifest(id: string): Promise<Manifest> {
    return parseManifest(await this.fs.readFile(this.layout.manifest(id)));
  }

  /**
   * Adds a generation as `staged` with no tries (not bootable until staged or blessed).
   * Files go to staging/<tmp>/, are synced and checked against the manifest, then renamed into
   * gens/<id>. Adding an id already in the store is a no-op.
   * @throws ManifestInvalidError; signature errors when `trust` is given; GenerationCorruptError
   *   when the source files do not match the manifest; StoreLockedError
   */
  async addGeneration(source: TreeSource, manifestBytes: Uint8Array, sigBytes: Uint8Array, trust?: TrustConfig): Promise<string> {
    const manifest = parseManifest(manifestBytes);
    const id = generationId(manifestBytes, manifest.version);
    if (trust) verifyManifestSignature(manifestBytes, sigBytes, trust, id);
    return this.update(async (state) => {
      const dir = this.layout.genDir(id);
      if (Object.hasOwn(state.generations, id) && (await this.fs.exists(dir))) return id;
      await this.fs.rm(dir); // an orphan left by a crash before its state update: redo it
      const tmp = joinPath(this.layout.staging, `add-${id}-${randomBytes(4).toString('hex')}`);
      await this.writeStaged(tmp, source, manifest, manifestBytes, sigBytes, id);
      await this.fs.mkdir(this.layout.gens);
      await this.fs.rename(tmp, dir);
      await this.fs.fsyncDir(this.layout.gens);
      await this.fs.fsyncDir(this.layout.staging);
      state.generations[id] = t.newRecord(manifest.version, this.now());
      return id;
    });
  }

  private async writeStaged(tmp: string, source: TreeSource, manifest: Manifest, manifestBytes: Uint8Array, sigBytes: Uint8Array, id: string): Promise<void> {
    const tree = joinPath(tmp, 'tree');
    await this.fs.mkdir(tree);
    const dirs = new Set<string>([tree]);
    for (const f of manifest.files) {
      const data = 'files' in source ? source.files.get(f.path) : await (source.fs ?? this.fs).readFile(joinPath(source.treeDir, f.path));
      if (!data) throw new InvalidOperationError(`Cannot add generation "${id}": no data for file "${f.path}"`);
      const target = joinPath(tree, f.path);
      const parent = target.slice(0, target.lastIndexOf('/'));
      if (!dirs.has(parent)) {
        await this.fs.mkdir(parent);
        dirs.add(parent);
      }
      await this.fs.writeFile(target, data, { mode: f.mode });
      await this.fs.chmod(target, f.mode); // the umask may have narrowed the create mode
      await this.fs.fsyncFile(target);
    }
    for (const [name, bytes] of [['manifest.json', manifestBytes], ['manifest.sig', sigBytes]] as const) {
      await this.fs.writeFile(joinPath(tmp, name), bytes, { mode: 0o644 });
      await this.fs.fsyncFile(joinPath(tmp, name));
    }
    // Deepest first, so each directory entry is durable before its parent's.
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) await this.fs.fsyncDir(d);
    await this.fs.fsyncDir(tmp);
    await verifyTree(this.fs, tree, manifest, id);
  }

  /** Gives a generation `tries` boots and makes it the default. @throws see transitions.applyStage */
  stage(id: string, tries = 3): Promise<StoreState> {
    return this.update((s) => (t.applyStage(s, id, tries), s));
  }

  /** Makes `id` the default, or with `once` the next boot only. @throws see transitions.applySwitch */
  switchTo(id: string, options: { once?: boolean } = {}): Promise<StoreState> {
    return this.update((s) => (t.applySwitch(s, id, options.once ?? false), s));
  }

  /**
   * Marks a generation good (default: the running trial, else the booted one) and raises the floor
   * to its manifest's rollbackFloor.
   * @throws GenerationMissingError, InvalidOperationError (nothing to bless), ManifestInvalidError
   */
  bless(id?: string, now?: string): Promise<StoreState> {
    return this.update(async (s) => {
      const target = this.current(s, id, 'bless');
      t.recordOf(s, target);
      const manifest = await this.readManifest(target);
      t.applyBless(s, target, manifest.rollbackFloor, now ?? this.now());
      return s;
    });
  }

  /** Marks a generation bad (default: the running trial, else the booted one). @throws GenerationMissingError, InvalidOperationError */
  markBad(id: string | undefined, reason: string): Promise<StoreState> {
    return this.update((s) => (t.applyBad(s, this.current(s, id, 'mark bad'), reason), s));
  }

  pin(id: string): Promise<StoreState> {
    return this.update((s) => (t.applyPin(s, id, true), s));
  }

  /** @throws InvalidOperationError for the recovery generation */
  unpin(id: string): Promise<StoreState> {
    return this.update((s) => (t.applyPin(s, id, false), s));
  }

  /** @throws InvalidOperationError unless `id` is good */
  setRecovery(id: string): Promise<StoreState> {
    return this.update((s) => (t.applyRecovery(s, id), s));
  }

  /** Sets default to the previous good generation; returns it. @throws NoRollbackTargetError */
  rollback(): Promise<string> {
    return this.update((s) => t.applyRollback(s));
  }

  /** Durably records a boot decision; call BEFORE the jump. @throws GenerationMissingError */
  recordTry(decision: t.TryDecision, now?: string): Promise<StoreState> {
    return this.update((s) => (t.applyTry(s, decision, now ?? this.now()), s));
  }

  /** Gives the try back after a clean reboot inside the health window; false when not the trial. */
  refundTry(id: string): Promise<boolean> {
    return this.update((s) => t.applyRefund(s, id));
  }

  private current(s: StoreState, id: string | undefined, verb: string): string {
    const target = id ?? s.trial?.id ?? s.booted?.id;
    if (!target) throw new InvalidOperationError(`Cannot ${verb}: no generation given and none is booted`);
    return target;
  }

  /** True when the generation directory exists. */
  async hasDir(id: string): Promise<boolean> {
    try {
      return (await this.fs.lstat(this.layout.genDir(id))).kind === 'dir';
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** The names in `dir`, or none when it does not exist (gc and fsck walk directories a crash may not have made). */
  async listDir(dir: string): Promise<string[]> {
    try {
      return await this.fs.readdir(dir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }
}
