// Shared fixtures of the end-to-end VM tests: the built image, its build key, and generations prepared
// FROM THE HOST in a per-test copy of the image through the public APIs (src/image's debugfs file system,
// src/gen's Store, writer and signer). Variants are the image's first generation with a changed manifest.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  Store, buildManifestBytes, createNodeFileSystem, encodeSignature, fsck, keyIdOf, listTree, loadTrust, signManifest, verifyGeneration,
  type FileSystem, type FsckProblem, type GenerationSpec, type HealthCheck, type ManifestKernel, type SigningKey, type StoreState,
} from '../../gen/index.js';
import { DATA_PARTITION, DebugfsFileSystem, findPartition, openDataPartition, openEsp } from '../../image/index.js';
import { defaultImagePath, ensureImage, projectRoot } from '../../vm/index.js';

/** The directory standing for /data/dialogos inside the data partition. */
export const STORE_ROOT = '/dialogos';
/** The ready line, whole (a regex on a partly received line would match a truncated id). */
export const READY = /dialogos ready generation=(\S+)\n/;
/** Checks that fail at once: the window is short so the verdict comes within seconds. */
export const FAILING_HEALTH = {
  windowSeconds: 3,
  checks: [{ name: 'always-fails', kind: 'command', argv: ['/bin/busybox', 'false'], timeoutSeconds: 5 }] as HealthCheck[],
};

/** Builds build/dialogos.img when stale (about 10 s) and returns its path. */
export async function builtImage(): Promise<string> {
  const out = defaultImagePath();
  await ensureImage(out, (line) => process.stderr.write(`${line}\n`));
  return out;
}

/** The build key that signed the image's first generation (`.dialogos/keys/build.key`, PKCS#8 PEM). */
export function buildKey(): SigningKey {
  const pem = readFileSync(join(projectRoot(), '.dialogos', 'keys', 'build.key'));
  const jwk = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
  const publicKey = Buffer.from(String(jwk.x), 'base64url').toString('base64');
  return { keyId: keyIdOf(publicKey), privateKeyPem: pem.toString(), publicKey };
}

/** The store of a disk image, for reads (QEMU must not be running on it). */
export function imageStore(disk: string): { fs: FileSystem; store: Store } {
  const fs = openDataPartition(disk) as FileSystem;
  return { fs, store: new Store(fs, STORE_ROOT) };
}

/**
 * Runs `change` on the image's store and writes every queued change to the image before returning:
 * the debugfs file system queues writes per instance until a durability point, and the next reader (a
 * new instance, or QEMU) must see them.
 */
export async function onStore<T>(disk: string, change: (store: Store, fs: FileSystem) => Promise<T>): Promise<T> {
  const fs = openDataPartition(disk);
  try {
    return await change(new Store(fs as FileSystem, STORE_ROOT), fs as FileSystem);
  } finally {
    await fs.flush();
  }
}

export async function readState(disk: string): Promise<StoreState> {
  return (await imageStore(disk).store.readState()).state;
}

/** The image's first generation (good, recovery, pinned, default). */
export async function firstGeneration(disk: string): Promise<string> {
  const s = await readState(disk);
  const id = Object.entries(s.generations).find(([, r]) => r.recovery)?.[0];
  if (!id) throw new Error(`Cannot find the recovery generation in "${disk}"`);
  return id;
}

export interface VariantOptions {
  version: number;
  rollbackFloor?: number;
  health?: GenerationSpec['health'];
  entry?: GenerationSpec['entry'];
  /** Host kernel to carry (kexec path): copied into the tree as boot/vmlinuz. */
  kernel?: { hostImage: string; cmdline: string };
  /** Extra tree files: path -> [content, mode]. */
  files?: Record<string, [string | Uint8Array, number]>;
  key?: SigningKey;
}

/**
 * Writes a signed variant of the first generation into the image's store (status staged, no tries) and
 * returns its id. The tree is the first generation's runtime files only (bin/dialogos.mjs and
 * defaults/), not its 1000-file source: debugfs writes one file per process, and the daemon needs no more.
 */
export async function addVariant(disk: string, opts: VariantOptions): Promise<string> {
  const g1 = await firstGeneration(disk);
  return onStore(disk, (store, fs) => writeVariant(store, fs, g1, opts));
}

async function writeVariant(store: Store, fs: FileSystem, g1: string, opts: VariantOptions): Promise<string> {
  const base = await store.readManifest(g1);
  const host = mkdtempSync(join(tmpdir(), 'dialogos-variant-'));
  try {
    const files: Record<string, [Uint8Array, number]> = {};
    for (const f of base.files.filter((x) => x.path.startsWith('bin/') || x.path.startsWith('defaults/'))) {
      files[f.path] = [await fs.readFile(`${store.layout.genDir(g1)}/tree/${f.path}`), f.mode];
    }
    let kernel: ManifestKernel | null = null;
    if (opts.kernel) {
      files['boot/vmlinuz'] = [readFileSync(opts.kernel.hostImage), 0o644];
      kernel = { image: 'boot/vmlinuz', initrd: null, cmdline: opts.kernel.cmdline };
    }
    for (const [p, [data, mode]] of Object.entries(opts.files ?? {})) files[p] = [typeof data === 'string' ? Buffer.from(data) : data, mode];
    for (const [p, [data, mode]] of Object.entries(files)) {
      mkdirSync(dirname(join(host, p)), { recursive: true });
      writeFileSync(join(host, p), data);
      chmodSync(join(host, p), mode);
    }
    const spec = {
      version: opts.version, parent: g1, rollbackFloor: opts.rollbackFloor ?? 0, created: new Date(0).toISOString(),
      provenance: { ...base.provenance, command: `e2e variant v${opts.version}` },
      entry: opts.entry ?? base.entry, kernel, health: opts.health ?? base.health,
    };
    const bytes = buildManifestBytes(spec, await listTree(createNodeFileSystem(), host));
    const sig = encodeSignature(signManifest(bytes, (opts.key ?? buildKey()).privateKeyPem));
    const map = new Map(Object.entries(files).map(([p, [d]]) => [p, d]));
    return await store.addGeneration({ files: map }, bytes, sig);
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
}

/** Replaces one tree file of a stored generation with other bytes (a corrupted generation). */
export async function corruptTreeFile(disk: string, id: string, path: string): Promise<void> {
  await onStore(disk, async (store, fs) => {
    const file = `${store.layout.genDir(id)}/tree/${path}`;
    const old = await fs.readFile(file);
    await fs.writeFile(file, Buffer.concat([old, Buffer.from('\n// corrupted by the e2e test\n')]));
  });
}

/** Removes manifest.sig (an unsigned generation). */
export async function removeSignature(disk: string, id: string): Promise<void> {
  await onStore(disk, (store, fs) => fs.rm(`${store.layout.genDir(id)}/manifest.sig`));
}

/** Replaces manifest.sig with a signature by the build key (the right key id) over other bytes. */
export async function signOtherBytes(disk: string, id: string): Promise<void> {
  const sig = encodeSignature(signManifest(Buffer.from('not this manifest'), buildKey().privateKeyPem));
  await onStore(disk, (store, fs) => fs.writeFile(`${store.layout.genDir(id)}/manifest.sig`, sig));
}

/** The entries of /EFI/Linux on the image's ESP. */
export function espEntries(disk: string): Promise<string[]> {
  return openEsp(disk).list('/EFI/Linux');
}

function dataSpec(disk: string): string {
  return `${disk}?offset=${findPartition(disk, DATA_PARTITION).offset}`;
}

/** What the host sees of the data partition after a power cut, as the next mount would find it. */
export interface AfterPowerCut {
  state: StoreState;
  /** `e2fsck -fp` (preen: replay the journal, fix only what is safe to fix unattended): 0 or 1 is clean. */
  e2fsck: { status: number; output: string };
}

/**
 * Copies the data partition out of `disk` into a bare ext4 file, lets `e2fsck -fp` replay its journal and
 * preen it there (debugfs reads blocks at their home location and ignores the journal, and e2fsck and
 * debugfs cannot replay a journal at an offset: they reopen the device without it), then reads the store
 * state from the copy. `disk` itself is left as the power cut left it, for the next boot to recover.
 */
export async function afterPowerCut(disk: string): Promise<AfterPowerCut> {
  const part = findPartition(disk, DATA_PARTITION);
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-cut-'));
  const file = join(dir, 'data.ext4');
  try {
    const MiB = 1024 * 1024;
    execFileSync('dd', [`if=${disk}`, `of=${file}`, `bs=${MiB}`, `skip=${part.offset / MiB}`, `count=${part.size / MiB}`, 'conv=sparse', 'status=none']);
    const r = spawnSync('e2fsck', ['-fp', file], { encoding: 'utf8' });
    const fs = new DebugfsFileSystem(file, 0) as FileSystem;
    const { state } = await new Store(fs, STORE_ROOT).readState();
    return { state, e2fsck: { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `e2fsck -fn` of the data partition: returns its exit status and output (0 = clean). */
export function e2fsckReadOnly(disk: string): { status: number; output: string } {
  const r = spawnSync('e2fsck', ['-fn', dataSpec(disk)], { encoding: 'utf8' });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Verifies a stored generation from the host: null when it would boot, else the refusal. */
export async function hostVerify(disk: string, id: string): Promise<string | null> {
  const { fs } = imageStore(disk);
  return verifyGeneration(fs, STORE_ROOT, id, await loadTrust(fs, STORE_ROOT)).then(() => null, (e: Error) => e.message);
}

/** src/gen's fsck of the image's store (no repair). */
export async function storeProblems(disk: string): Promise<FsckProblem[]> {
  const { fs, store } = imageStore(disk);
  return fsck(store, await loadTrust(fs, STORE_ROOT));
}

/** The host kernel (the same one the image's UKI carries). */
export function hostKernelImage(): string {
  return execFileSync('sh', ['-c', 'ls /boot/vmlinuz-* | sort -V | tail -1'], { encoding: 'utf8' }).trim();
}
