// `dialogos image build`: base layer -> UKI -> generation tree -> data partition -> ESP -> GPT disk,
// one progress line per step, reproducible for the same inputs, with the input digest stored beside the
// image so callers rebuild only when something changed.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundle } from './bundle.js';
import { buildDataPartition } from './data-partition.js';
import { digestParts, sourceDigest, BUILDER_VERSION } from './digest.js';
import { copyInto, createDisk, layoutFor, MiB, type PartitionLayout } from './disk.js';
import { buildEsp } from './esp.js';
import { execTool } from './exec.js';
import { buildGenerationTree, type ExtraFile } from './generation-tree.js';
import { buildDefaultModel } from '../train/index.js';
import { buildIndex, rebaseIndex, saveIndex, SHIPPED_INDEX } from '../mind/index.js';

/** Where a booted generation's tree is mounted. */
const GENERATION_ROOT = '/dialogos';
import { findHostInputs } from './host.js';
import { buildInitramfs, type Compression } from './initramfs.js';
import { buildNative, defaultGen, stageEntry, type GenBinding, type NativeBinaries } from './inputs.js';
import { createProgress, formatSize, type Progress } from './progress.js';
import { FIXED_EPOCH, sourceDateEpoch } from './reproducible.js';
import { buildUki, DEFAULT_CMDLINE, osRelease } from './uki.js';

export interface ImageBuildOptions {
  sourceRoot: string;
  /** Default `<sourceRoot>/build/dialogos.img`. */
  out?: string;
  /** Default `<sourceRoot>/build/work`. */
  workDir?: string;
  /** Default `<sourceRoot>/.dialogos/cache`. */
  cacheDir?: string;
  /** Build signing key; default `<sourceRoot>/.dialogos/keys/build.key`, created on first build. */
  keyFile?: string;
  gen?: GenBinding;
  /** Prebuilt init and kexec instead of `native/build.sh` (tests use stand-ins). */
  native?: NativeBinaries;
  /** A ready stage.mjs instead of bundling src/boot/stage-main.ts. */
  stage?: string;
  compression?: Compression;
  cmdline?: string;
  kver?: string;
  espSize?: number;
  dataSize?: number;
  /** Tries of the "b" UKI entry. */
  tries?: number;
  progress?: Progress;
  /** Files the generation carries beyond its source tree. */
  extraFiles?: ExtraFile[];
  /**
   * Train dialogos-mini on the source tree and ship it as models/dialogos-mini.gguf (default true): the
   * default model is rebuilt from its recipe, never trusted from elsewhere; cached per corpus and recipe.
   */
  defaultModel?: boolean;
  /** Index the generation's source on the build host and ship it as mind/index.json (default true). */
  codeIndex?: boolean;
}

export interface ImageBuildResult {
  image: string;
  digest: string;
  generation: string;
  layout: PartitionLayout;
  sizes: { initramfs: number; initramfsUncompressed: number; uki: number; disk: number; diskAllocated: number };
  initramfsCached: boolean;
  seconds: number;
}

/** zstd -10: 4.5 s for 31.7 MiB; -19 takes 66 s for 27.9 MiB and every change to the stage rebuilds it (README). */
export const DEFAULT_COMPRESSION: Compression = 'zstd:10';

function resolved(o: ImageBuildOptions) {
  const root = resolve(o.sourceRoot);
  return {
    root,
    out: resolve(o.out ?? join(root, 'build', 'dialogos.img')),
    work: resolve(o.workDir ?? join(root, 'build', 'work')),
    cache: resolve(o.cacheDir ?? join(root, '.dialogos', 'cache')),
    key: resolve(o.keyFile ?? join(root, '.dialogos', 'keys', 'build.key')),
    compression: o.compression ?? DEFAULT_COMPRESSION,
    cmdline: o.cmdline ?? DEFAULT_CMDLINE,
    espSize: o.espSize ?? 256 * MiB,
    dataSize: o.dataSize ?? 1024 * MiB,
    tries: o.tries ?? 3,
  };
}

/** The file beside the image holding the digest of its inputs. */
export const digestFileOf = (image: string) => `${image}.inputs`;

/** The digest of every input of the image `o` describes (the key file when it exists). */
export async function imageInputDigest(o: ImageBuildOptions): Promise<string> {
  const r = resolved(o);
  const host = findHostInputs(o.kver);
  const parts: Record<string, { file: string } | string | number> = {
    builder: BUILDER_VERSION, source: sourceDigest(r.root), epoch: await sourceDateEpoch(r.root),
    compression: r.compression, cmdline: r.cmdline, kver: host.kver, espSize: r.espSize, dataSize: r.dataSize, tries: r.tries,
    kernel: { file: host.kernel }, modules: { file: join(host.modulesDir, 'modules.dep') }, busybox: { file: host.busybox },
    node: { file: host.node }, stub: { file: host.efiStub }, systemdBoot: { file: host.systemdBoot },
    key: existsSync(r.key) ? { file: r.key } : 'new',
  };
  if (o.native) { parts.init = { file: o.native.init }; parts.kexec = { file: o.native.kexec }; }
  if (o.stage) parts.stage = { file: o.stage };
  // The default model is a function of the source (corpus, recipe and trainer), which the digest has.
  parts.defaultModel = o.defaultModel === false ? 'none' : 'dialogos-mini';
  parts.codeIndex = o.codeIndex === false ? 'none' : SHIPPED_INDEX;
  for (const x of o.extraFiles ?? []) parts[`extra:${x.rel}`] = { file: x.file };
  return digestParts(parts);
}

/** True when the image is missing or was built from other inputs. */
export async function isImageStale(o: ImageBuildOptions): Promise<boolean> {
  const { out } = resolved(o);
  if (!existsSync(out) || !existsSync(digestFileOf(out))) return true;
  return readFileSync(digestFileOf(out), 'utf8').trim() !== (await imageInputDigest(o));
}

async function loadOrCreateKey(path: string, gen: GenBinding): Promise<Buffer> {
  if (existsSync(path)) return readFileSync(path);
  const key = await gen.generateKeyFile();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, key, { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}

/**
 * The code index of a generation, built here and saved for the path the tree has once booted, so the
 * dialog's first question in the OS checks file hashes instead of parsing the whole tree under emulation.
 */
async function shipCodeIndex(tree: string): Promise<number> {
  const index = await buildIndex(tree);
  saveIndex(rebaseIndex(index.data, GENERATION_ROOT), join(tree, SHIPPED_INDEX));
  return Object.keys(index.data.files).length;
}

/** Where the default model sits in a generation tree. */
export const DEFAULT_MODEL_PATH = 'models/dialogos-mini.gguf';

async function trainDefaultModel(root: string, work: string, cache: string, p: Progress): Promise<ExtraFile & { detail: string }> {
  let lastNote = 0;
  const m = await buildDefaultModel({
    sourceRoot: root, outFile: join(work, 'dialogos-mini.gguf'), cacheDir: join(cache, 'dialogos-mini'),
    // Training takes minutes on two cores: say where it is every 15 s.
    onStep: (s) => {
      if (Date.now() - lastNote < 15_000 && s.step !== s.steps) return;
      lastNote = Date.now();
      p.note(`dialogos-mini: step ${s.step}/${s.steps}, loss ${s.loss.toFixed(3)}, ${Math.round(s.tokensPerSecond)} tokens/s, about ${Math.ceil(s.etaSeconds)} s left`);
    },
  });
  const detail = `${formatSize(m.bytes)} sha256 ${m.sha256.slice(0, 12)} ${m.cached ? '(cached)' : `trained, ${m.steps} steps`}`;
  return { rel: DEFAULT_MODEL_PATH, file: m.file, detail };
}

/**
 * Builds the disk image.
 * @throws ImageInputError for missing inputs, ToolError when a host tool fails
 */
export async function buildImage(o: ImageBuildOptions): Promise<ImageBuildResult> {
  const t0 = performance.now();
  const r = resolved(o);
  const gen = o.gen ?? await defaultGen();
  const p = o.progress ?? createProgress();
  mkdirSync(r.work, { recursive: true });
  mkdirSync(dirname(r.out), { recursive: true });
  const host = findHostInputs(o.kver);
  const key = await p.step('signing key', () => loadOrCreateKey(r.key, gen));
  const digest = await imageInputDigest(o);
  const epoch = await sourceDateEpoch(r.root);
  p.note(`inputs ${digest.slice(0, 16)} kernel ${host.kver} SOURCE_DATE_EPOCH=${epoch}`);
  const native = o.native ?? await p.step('native init + kexec + jail', () => buildNative(r.root, join(r.work, 'native')));
  const stage = o.stage ?? await p.step('boot stage bundle', async () => {
    const f = join(r.work, 'stage.mjs');
    await bundle(r.root, stageEntry(r.root), f);
    return f;
  });
  // The base layer's timestamps are the fixed epoch, not the last commit's: a commit that leaves the
  // initramfs inputs alone then keeps the cached (slow to compress) archive.
  const base = { host, init: native.init, kexec: native.kexec, ...(native.jail ? { jail: native.jail } : {}), stage, compression: r.compression };
  const initrd = await p.step('initramfs', () => buildInitramfs(base, r.work, r.cache, FIXED_EPOCH),
    (x) => `${formatSize(x.size)} ${r.compression}${x.cached ? ' (cached)' : ` from ${formatSize(x.uncompressedSize)}`}`);
  const uki = join(r.work, 'dialogos.efi');
  const ukiSize = await p.step('unified kernel image', () => buildUki({
    stub: host.efiStub, kernel: host.kernel, initrd: initrd.path, cmdline: r.cmdline, osRelease: osRelease(host.kver, '1'),
  }, r.work, uki), formatSize);
  const extras = [...(o.extraFiles ?? [])];
  if (o.defaultModel !== false) extras.push(await p.step('dialogos-mini (default model)', () => trainDefaultModel(r.root, r.work, r.cache, p), (f) => f.detail));
  const tree = join(r.work, 'generation');
  await p.step('generation tree', () => buildGenerationTree(r.root, tree, extras));
  if (o.codeIndex !== false) await p.step('code index of the generation', () => shipCodeIndex(tree), (n) => `${n} files`);
  const tmpOut = `${r.out}.tmp`;
  const layout = layoutFor(r.espSize, r.dataSize);
  await p.step('GPT partition table', () => createDisk(layout, digest, tmpOut));
  const generation = await p.step('data partition (ext4)', () => buildDataPartition({
    gen, treeDir: tree, keyFile: key, keyName: 'build', epoch, seed: digest, sizeBytes: r.dataSize,
    provenance: {
      builder: 'dialogos image build', sourceDigest: sourceDigest(r.root),
      toolchain: { node: process.version, kernel: host.kver, builder: BUILDER_VERSION },
      command: 'dialogos image build',
    },
  }, join(r.work, 'data-root'), { file: tmpOut, offset: layout.dataOffset }), (id) => id);
  const espImg = join(r.work, 'esp.vfat');
  await p.step('ESP (FAT32)', async () => {
    await buildEsp({ systemdBoot: host.systemdBoot, uki, kver: host.kver, tries: r.tries, epoch, seed: digest, sizeBytes: r.espSize }, r.work, espImg);
    await copyInto(espImg, tmpOut, layout.espOffset);
  });
  // mkfs.ext4 wrote its zeroed inode tables in place: punch them out so the image stays sparse.
  await execTool('fallocate', ['--dig-holes', tmpOut]);
  renameSync(tmpOut, r.out);
  writeFileSync(digestFileOf(r.out), digest + '\n');
  const st = statSync(r.out);
  const sizes = { initramfs: initrd.size, initramfsUncompressed: initrd.uncompressedSize, uki: ukiSize, disk: st.size, diskAllocated: st.blocks * 512 };
  p.note(`wrote ${r.out}: ${formatSize(sizes.disk)} (${formatSize(sizes.diskAllocated)} allocated), UKI ${formatSize(ukiSize)}, initramfs ${formatSize(sizes.initramfs)}`);
  return { image: r.out, digest, generation, layout, sizes, initramfsCached: initrd.cached, seconds: (performance.now() - t0) / 1000 };
}
