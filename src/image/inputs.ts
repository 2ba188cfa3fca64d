// The image builder's call sites into other subsystems (src/gen, native/, src/boot), kept in one file
// so the composition root can bind them. Everything else in src/image is self-contained.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as gen from '../gen/index.js';
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
    /** The directory standing for /data/dialogos (the store lives in its `store/`). */
    storeRoot: string;
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
  /** The evaluator sandbox's jail; optional for callers that bring their own init and kexec. */
  jail?: string;
}

/** Used when src/gen is not part of this tree: every call says what is missing. */
export const unboundGen: GenBinding = {
  async generateKeyFile() { throw notBound('generateSigningKey'); },
  async trustJson() { throw notBound('trust config'); },
  async writeInitialGeneration() { throw notBound('writeGeneration'); },
};

function notBound(what: string): ImageInputError {
  return new ImageInputError(`Cannot build the data partition: src/gen's ${what} is not bound in src/image/inputs.ts yet`);
}

/**
 * Builds init, kexec and the sandbox's jail with `native/build.sh OUTDIR` (static, musl-gcc).
 * @throws ImageInputError when native/build.sh is missing or leaves no binaries
 */
export async function buildNative(sourceRoot: string, outDir: string): Promise<NativeBinaries> {
  const script = join(sourceRoot, 'native', 'build.sh');
  if (!existsSync(script)) throw new ImageInputError(`Cannot build the native init: "${script}" does not exist`);
  await execTool('bash', [script, outDir], { cwd: sourceRoot });
  const bins = { init: join(outDir, 'init'), kexec: join(outDir, 'kexec'), jail: join(outDir, 'jail') };
  for (const p of Object.values(bins)) {
    if (!existsSync(p)) throw new ImageInputError(`Cannot build the native init: native/build.sh left no "${p}"`);
  }
  return bins;
}

/** The boot stage's entry point, bundled to /usr/lib/dialogos/stage.mjs. */
export function stageEntry(sourceRoot: string): string {
  return join(sourceRoot, 'src', 'boot', 'stage-main.ts');
}

/** The part of src/gen's public face (src/gen/index.ts) this file uses. */
interface GenModule {
  generateSigningKey(): { keyId: string; privateKeyPem: string; publicKey: string };
  keyIdOf(publicKeyB64: string): string;
  createNodeFileSystem(): unknown;
  writeGeneration(fs: unknown, storeRoot: string, spec: Record<string, unknown>, key: { keyId: string; privateKeyPem: string; publicKey: string }, options?: { now?: () => string }): Promise<string>;
  Store: new (fs: unknown, storeRoot: string, options?: { now?: () => string }) => {
    bless(id: string, now?: string): Promise<unknown>;
    setRecovery(id: string): Promise<unknown>;
    pin(id: string): Promise<unknown>;
    switchTo(id: string): Promise<unknown>;
  };
}

/** The build key file is the PKCS#8 PEM of an Ed25519 key, like the machine key dialogosd makes. */
function signingKeyOf(gen: GenModule, pem: Buffer) {
  const jwk = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
  const publicKey = Buffer.from(String(jwk.x), 'base64url').toString('base64');
  return { keyId: gen.keyIdOf(publicKey), privateKeyPem: pem.toString(), publicKey };
}

/** Adapts src/gen to what the image builder calls. */
export function genBinding(gen: GenModule): GenBinding {
  return {
    async generateKeyFile() { return Buffer.from(gen.generateSigningKey().privateKeyPem); },
    async trustJson(keyFile, name) {
      const k = signingKeyOf(gen, keyFile);
      return JSON.stringify({ keys: [{ keyId: k.keyId, name, publicKey: k.publicKey }] }, null, 2) + '\n';
    },
    async writeInitialGeneration({ storeRoot, treeDir, keyFile, provenance, created, entry, health }) {
      const fs = gen.createNodeFileSystem();
      const now = () => created;
      const spec = { version: 1, parent: null, rollbackFloor: 0, created, provenance, entry, kernel: null, health, treeDir };
      const id = await gen.writeGeneration(fs, storeRoot, spec, signingKeyOf(gen, keyFile), { now });
      const store = new gen.Store(fs, storeRoot, { now });
      await store.bless(id, created);
      await store.setRecovery(id);
      await store.pin(id);
      await store.switchTo(id);
      return id;
    },
  };
}

/** src/gen's public face, bound statically: src/image depends on src/gen, never the reverse. */
export async function defaultGen(): Promise<GenBinding> {
  return genBinding(gen as unknown as GenModule);
}
