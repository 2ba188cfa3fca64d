// Turning a directory into a signed generation in the store. Deterministic: the same tree and spec
// give the same manifest bytes and so the same id (Ed25519 signatures are deterministic too).
import { canonicalBytes } from './canonical.js';
import { InvalidOperationError } from './errors.js';
import { joinPath, type FileSystem } from './fs.js';
import { generationId } from './id.js';
import type { SigningKey } from './keys.js';
import { parseManifest } from './manifest.js';
import { encodeSignature, signManifest } from './signature.js';
import { Store, type StoreOptions } from './store.js';
import type { Manifest, ManifestFile } from './types.js';
import { hashFile, walkTree } from './verify.js';

export type GenerationSpec = Omit<Manifest, 'schema' | 'files'> & { treeDir: string };

/** `sourceFs`: where `treeDir` lives when it is not on the store's file system (a host tree into a disk image). */
export interface WriteGenerationOptions extends StoreOptions {
  sourceFs?: FileSystem;
}

/**
 * Lists the regular files under `treeDir`, sorted, with digests and permission bits.
 * @throws InvalidOperationError for symlinks, devices or other non-regular entries
 */
export async function listTree(fs: FileSystem, treeDir: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const [path, st] of await walkTree(fs, treeDir)) {
    if (st.kind === 'dir') continue;
    if (st.kind !== 'file') throw new InvalidOperationError(`Cannot build a generation from "${treeDir}": "${path}" is a ${st.kind}; only regular files are allowed`);
    const { sha256, size } = await hashFile(fs, joinPath(treeDir, path));
    files.push({ path, sha256, size, mode: st.mode & 0o777 });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Canonical manifest bytes for a spec and its files. @throws ManifestInvalidError for an invalid spec */
export function buildManifestBytes(spec: Omit<GenerationSpec, 'treeDir'>, files: ManifestFile[]): Uint8Array {
  const manifest: Manifest = {
    schema: 1, version: spec.version, parent: spec.parent, rollbackFloor: spec.rollbackFloor, created: spec.created,
    provenance: spec.provenance, entry: spec.entry, kernel: spec.kernel, health: spec.health, files,
  };
  const bytes = canonicalBytes(manifest);
  parseManifest(bytes); // refuse to sign what the boot stage would refuse to read
  return bytes;
}

/**
 * Builds, signs and adds a generation to the store at `storeRoot`; returns its id.
 * @throws InvalidOperationError (bad tree), ManifestInvalidError (bad spec), CanonicalJsonError,
 *   GenerationCorruptError (tree changed while copying), StoreLockedError
 * @example const id = await writeGeneration(fs, '/data/dialogos', spec, key);
 * @example await writeGeneration(imageFs, '/dialogos', spec, key, { sourceFs: createNodeFileSystem() });
 */
export async function writeGeneration(fs: FileSystem, storeRoot: string, spec: GenerationSpec, key: SigningKey, options: WriteGenerationOptions = {}): Promise<string> {
  const { treeDir, ...rest } = spec;
  const sourceFs = options.sourceFs ?? fs;
  const bytes = buildManifestBytes(rest, await listTree(sourceFs, treeDir));
  const sig = encodeSignature(signManifest(bytes, key.privateKeyPem));
  const id = await new Store(fs, storeRoot, options).addGeneration({ treeDir, fs: sourceFs }, bytes, sig);
  if (id !== generationId(bytes, spec.version)) throw new InvalidOperationError(`Generation id mismatch for "${id}"`);
  return id;
}
