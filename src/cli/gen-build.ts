// `dialogos gen build`: the mechanical half of self-improvement. Turns a generation's own shipped source
// (edited or not) into a new signed generation in the store, with no network and no build host: the tree
// carries esbuild and the runtime modules it bundles (src/image/generation-tree.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InvalidOperationError, createNodeFileSystem, listTree, loadTrust, signingKeyFromPem, writeGeneration,
} from '../gen/index.js';
import { GENERATION_ENTRY, buildGenerationTree, readHealthDefaults } from '../image/index.js';
import type { StoreTarget } from './store-target.js';

export interface GenBuildOptions {
  /** Source root (default: the tree this program runs from: /dialogos inside the OS, the checkout on a host). */
  source?: string;
  /** PKCS#8 PEM signing key (default: the machine key; for a disk image, the checkout's build key). */
  key?: string;
  /** Stage the new generation with this many tries. */
  stage?: number;
  /** Anti-rollback floor blessing it will set (default: the parent's). */
  rollbackFloor?: number;
  /** Words of the command, for provenance. */
  argv: string[];
  now?: () => Date;
  log?: (line: string) => void;
}

export interface GenBuildResult {
  id: string;
  version: number;
  parent: string | null;
  source: string;
  staged: number | null;
  seconds: number;
}

/**
 * The source root this program was built from: the nearest directory above this file that holds
 * src/cli/main.ts (/dialogos for bin/dialogos.mjs in a generation, the checkout for dist/cli/*.js).
 * @throws InvalidOperationError when there is none
 */
export function runningSourceRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'src', 'cli', 'main.ts'))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new InvalidOperationError(`Cannot find the source this program was built from above "${from}"; give --source DIR`);
}

function defaultKeyFile(target: StoreTarget, source: string): string {
  return target.image ? join(source, '.dialogos', 'keys', 'build.key') : join(target.root, 'keys', 'machine.key');
}

/**
 * Builds `source` into a new generation of `target`'s store, signed and (optionally) staged.
 * @throws InvalidOperationError when the key is missing or not trusted by the store (the boot stage would refuse it);
 *   ImageInputError / ToolError from the tree build; the store's errors from writing it
 */
export async function buildGeneration(target: StoreTarget, o: GenBuildOptions): Promise<GenBuildResult> {
  const started = Date.now();
  const log = o.log ?? (() => {});
  const source = resolve(o.source ?? runningSourceRoot());
  const keyFile = o.key ?? defaultKeyFile(target, source);
  if (!existsSync(keyFile)) throw new InvalidOperationError(`Cannot build a generation: signing key "${keyFile}" does not exist (give one with --key FILE)`);
  const key = signingKeyFromPem(readFileSync(keyFile, 'utf8'), `"${keyFile}"`);
  const trust = await loadTrust(target.fs, target.root);
  if (!trust.keys.some((k) => k.keyId === key.keyId)) {
    throw new InvalidOperationError(
      `Cannot build a generation signed with key "${key.keyId}" (${keyFile}): the store's keys/trust.json does not trust it, so the boot stage would refuse the generation`,
    );
  }
  const { state } = await target.store.readState();
  const versions = Object.values(state.generations).map((g) => g.version);
  const version = (versions.length ? Math.max(...versions) : 0) + 1;
  const parent = state.booted?.id ?? state.default;
  const parentManifest = parent ? await target.store.readManifest(parent).catch(() => null) : null;
  const out = mkdtempSync(join(scratchFolder(target), 'dialogos-gen-build-'));
  try {
    log(`gen build: bundling ${source}`);
    await buildGenerationTree(source, join(out, 'tree'));
    const treeDir = join(out, 'tree');
    const local = createNodeFileSystem();
    const sourceFiles = (await listTree(local, treeDir)).filter((f) => f.path.startsWith('src/'));
    const sourceDigest = createHash('sha256').update(sourceFiles.map((f) => `${f.sha256} ${f.path}\n`).join('')).digest('hex');
    const esbuildVersion = readPackageVersion(join(source, 'node_modules', 'esbuild', 'package.json'));
    log(`gen build: signing version ${version} with ${key.keyId}`);
    const id = await writeGeneration(target.fs, target.root, {
      treeDir, version, parent, rollbackFloor: o.rollbackFloor ?? parentManifest?.rollbackFloor ?? 0,
      created: (o.now?.() ?? new Date()).toISOString(),
      provenance: {
        builder: `dialogos gen build on ${hostname()}`, sourceDigest,
        toolchain: { node: process.version, esbuild: esbuildVersion }, command: ['dialogos', ...o.argv].join(' '),
      },
      entry: GENERATION_ENTRY, kernel: null, health: readHealthDefaults(treeDir),
    }, key, { sourceFs: local });
    if (o.stage) await target.store.stage(id, o.stage);
    return { id, version, parent, source, staged: o.stage ?? null, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Where the tree is put together. Inside Dialogos the new root, /tmp included, is a tmpfs: the tree (with what
 * the OS needs to test itself, ~80 MB) would sit in RAM beside the running system, and a 512 MiB machine ran out
 * of memory (gen build and dialogosd OOM-killed). On a directory store it goes to `<store>/tmp`, on the same disk;
 * what a power cut left there more than an hour ago is removed first. A store in an image is built in tmpdir().
 */
function scratchFolder(target: StoreTarget): string {
  if (target.image !== null) return tmpdir();
  const dir = join(target.root, 'tmp');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.startsWith('dialogos-gen-build-') && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
  return dir;
}

function readPackageVersion(path: string): string {
  try {
    return String((JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
