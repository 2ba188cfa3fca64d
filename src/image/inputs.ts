// The image builder's call sites into other subsystems (src/gen, native/, src/boot), kept in one file
// so the composition root can bind them. Everything else in src/image is self-contained.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, ManifestEntry, Provenance } from '../gen/types.js';
import { ImageInputError } from './errors.js';
import { execTool } from './exec.js';

/** What the data partition builder needs from src/gen. */
export interface GenBinding {
  /** A new signing key, as the bytes of the key file kept at `.dialogos/keys/build.key`. */
  generateKeyFile(): Promise<Buffer>;
  /** The content of `/data/dialogos/keys/trust.json` trusting exactly this key. */
  trustJson(keyFile: Buffer, name: string): Promise<string>;
  /**
   * Writes `treeDir` as generation version 1 into the store at `storeDir` (created when missing),
   * signed with `keyFile`, recorded good + recovery + pinned and made the default.
   * @returns the generation id
   */
  writeInitialGeneration(args: {
    storeDir: string;
    treeDir: string;
    keyFile: Buffer;
    provenance: Provenance;
    created: string;
    entry: ManifestEntry;
    health: Manifest['health'];
  }): Promise<string>;
}

/** The native binaries of the base layer. */
export interface NativeBinaries {
  init: string;
  kexec: string;
}

/** Binds src/gen once it exports writeGeneration/generateSigningKey (see the lead's composition root). */
export const unboundGen: GenBinding = {
  async generateKeyFile() { throw notBound('generateSigningKey'); },
  async trustJson() { throw notBound('trust config'); },
  async writeInitialGeneration() { throw notBound('writeGeneration'); },
};

function notBound(what: string): ImageInputError {
  return new ImageInputError(`Cannot build the data partition: src/gen's ${what} is not bound in src/image/inputs.ts yet`);
}

/**
 * Builds init and kexec with `native/build.sh OUTDIR` (static, musl-gcc).
 * @throws ImageInputError when native/build.sh is missing or leaves no binaries
 */
export async function buildNative(sourceRoot: string, outDir: string): Promise<NativeBinaries> {
  const script = join(sourceRoot, 'native', 'build.sh');
  if (!existsSync(script)) throw new ImageInputError(`Cannot build the native init: "${script}" does not exist`);
  await execTool('bash', [script, outDir], { cwd: sourceRoot });
  const bins = { init: join(outDir, 'init'), kexec: join(outDir, 'kexec') };
  for (const p of Object.values(bins)) {
    if (!existsSync(p)) throw new ImageInputError(`Cannot build the native init: native/build.sh left no "${p}"`);
  }
  return bins;
}

/** The boot stage's entry point, bundled to /usr/lib/dialogos/stage.mjs. */
export function stageEntry(sourceRoot: string): string {
  return join(sourceRoot, 'src', 'boot', 'stage-main.ts');
}
