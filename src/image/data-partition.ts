// The data partition: an ext4 image, filled from a staging folder with `mkfs.ext4 -d` (no mount), holding
// the store with the first generation, the trust configuration and boot.json.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Provenance } from '../gen/types.js';
import { execTool } from './exec.js';
import { GENERATION_ENTRY, readHealthDefaults } from './generation-tree.js';
import type { GenBinding } from './inputs.js';
import { deriveUuid } from './reproducible.js';
import { normalizeMtimes, walkTree } from './walk.js';

export const DATA_LABEL = 'DIALOGOS_DATA';
export const DEFAULT_BOOT_JSON = { menuTimeoutMs: 1000 };

export interface DataPartitionInputs {
  gen: GenBinding;
  treeDir: string;
  keyFile: Buffer;
  keyName: string;
  provenance: Provenance;
  epoch: number;
  /** Seed for the filesystem UUID and directory hash seed (the inputs' digest). */
  seed: string;
  sizeBytes: number;
}

/** Where the filesystem goes: a file of its own (offset 0) or a partition inside a disk image. */
export interface Ext4Target { file: string; offset: number }

/**
 * Writes the ext4 filesystem to `target` and returns the initial generation's id.
 * @throws ToolError when mkfs.ext4 fails; whatever the gen binding throws
 */
export async function buildDataPartition(inputs: DataPartitionInputs, stagingDir: string, target: Ext4Target): Promise<string> {
  rmSync(stagingDir, { recursive: true, force: true });
  const dialogos = join(stagingDir, 'dialogos');
  mkdirSync(join(dialogos, 'keys'), { recursive: true });
  const created = new Date(inputs.epoch * 1000).toISOString();
  const id = await inputs.gen.writeInitialGeneration({
    storeRoot: dialogos,
    treeDir: inputs.treeDir,
    keyFile: inputs.keyFile,
    provenance: inputs.provenance,
    created,
    entry: GENERATION_ENTRY,
    health: readHealthDefaults(inputs.treeDir),
  });
  writeFileSync(join(dialogos, 'keys', 'trust.json'), await inputs.gen.trustJson(inputs.keyFile, inputs.keyName));
  writeFileSync(join(dialogos, 'boot.json'), JSON.stringify(DEFAULT_BOOT_JSON) + '\n');
  // Which keys a machine trusts is explicit configuration: by default it trusts the key it makes on first boot.
  writeFileSync(join(dialogos, 'keys', 'policy.json'), JSON.stringify({ trustMachineKey: true }) + '\n');
  normalizeMtimes(stagingDir, inputs.epoch);
  await makeExt4(stagingDir, target, inputs.sizeBytes, inputs.seed, inputs.epoch);
  return id;
}

/**
 * `mkfs.ext4 -d` with every random or time-dependent field pinned. With an offset it writes into an
 * existing disk image (in place, no copy of a 1 GiB file); otherwise it makes `target.file` anew.
 */
export async function makeExt4(fromDir: string, target: Ext4Target | string, sizeBytes: number, seed: string, epoch: number): Promise<void> {
  const t = typeof target === 'string' ? { file: target, offset: 0 } : target;
  if (t.offset === 0) rmSync(t.file, { force: true });
  await execTool('mkfs.ext4', [
    '-q', '-F', '-t', 'ext4', '-L', DATA_LABEL,
    '-U', deriveUuid(seed, 'data-fs-uuid'),
    '-E', `hash_seed=${deriveUuid(seed, 'data-hash-seed')},root_owner=0:0,lazy_itable_init=0,nodiscard,offset=${t.offset}`,
    '-d', fromDir, t.file, `${Math.floor(sizeBytes / 1024)}k`,
  ], { env: { E2FSPROGS_FAKE_TIME: String(epoch) } });
  await pinInodeTimes(fromDir, t.offset ? `${t.file}?offset=${t.offset}` : t.file, epoch);
}

/**
 * mkfs.ext4 -d (1.47.0) copies each file's ctime, which utimes cannot set: pin every inode's ctime to
 * the epoch afterwards with debugfs.
 */
async function pinInodeTimes(fromDir: string, image: string, epoch: number): Promise<void> {
  const paths = ['/', ...walkTree(fromDir).map((e) => '/' + e.rel)];
  const script = paths.map((p) => `sif "${p}" ctime @${epoch}`).join('\n') + '\n';
  await execTool('debugfs', ['-w', '-f', '-', image], { input: script, env: { E2FSPROGS_FAKE_TIME: String(epoch) } });
}
