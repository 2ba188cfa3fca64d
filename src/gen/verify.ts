// Verification of a stored generation before it is used: the id names the manifest bytes, a trusted
// key signed them, and the tree holds exactly the listed regular files with the listed digests.
// Hostile input (a tampered disk) must only ever produce the named errors below.
import { createHash } from 'node:crypto';
import { GenerationCorruptError, GenerationMissingError, isGenError, isNotFound } from './errors.js';
import { joinPath, type FileStat, type FileSystem } from './fs.js';
import { parseGenerationId, sha256Hex } from './id.js';
import type { TrustConfig } from './keys.js';
import { storeLayout } from './layout.js';
import { MANIFEST_MAX_BYTES, parseManifest } from './manifest.js';
import { verifyManifestSignature } from './signature.js';
import type { Manifest } from './types.js';

export interface VerifiedGeneration {
  id: string;
  manifest: Manifest;
  treeDir: string;
}

/**
 * Verifies generation `id` of the store at `storeRoot` against `trust`.
 * @throws GenerationIdInvalidError when `id` is not a generation id
 * @throws GenerationMissingError when its directory or manifest.json is absent
 * @throws UnsignedGenerationError, SignatureInvalidError, UntrustedKeyError from the signature check
 * @throws ManifestInvalidError when the (signed) manifest does not parse
 * @throws GenerationCorruptError for a swapped manifest, or a missing, extra, non-regular or
 *   mismatching file, or an I/O error while reading the generation
 */
export async function verifyGeneration(fs: FileSystem, storeRoot: string, id: string, trust: TrustConfig): Promise<VerifiedGeneration> {
  const { digest, version } = parseGenerationId(id);
  const layout = storeLayout(storeRoot);
  try {
    const manifestBytes = await readManifestBytes(fs, layout.manifest(id), id);
    if (sha256Hex(manifestBytes).slice(0, 12) !== digest) {
      throw new GenerationCorruptError(`Cannot boot generation "${id}": manifest.json does not match the id (swapped or edited manifest)`);
    }
    const sigBytes = await readOptional(fs, layout.signature(id));
    verifyManifestSignature(manifestBytes, sigBytes, trust, id);
    const manifest = parseManifest(manifestBytes);
    if (manifest.version !== version) {
      throw new GenerationCorruptError(`Cannot boot generation "${id}": manifest version ${manifest.version} does not match the id`);
    }
    await verifyTree(fs, layout.tree(id), manifest, id);
    return { id, manifest, treeDir: layout.tree(id) };
  } catch (err) {
    if (isGenError(err)) throw err;
    throw new GenerationCorruptError(`Cannot boot generation "${id}": cannot read it (${(err as Error)?.message ?? String(err)})`, { cause: err });
  }
}

async function readManifestBytes(fs: FileSystem, path: string, id: string): Promise<Uint8Array> {
  let st: FileStat;
  try {
    st = await fs.lstat(path);
  } catch (err) {
    if (isNotFound(err) || (err as { code?: string }).code === 'ENOTDIR') {
      throw new GenerationMissingError(`Cannot boot generation "${id}": it is not in the store (no manifest.json)`, { cause: err });
    }
    throw err;
  }
  if (st.kind !== 'file') throw new GenerationCorruptError(`Cannot boot generation "${id}": manifest.json is a ${st.kind}, not a regular file`);
  if (st.size > MANIFEST_MAX_BYTES) throw new GenerationCorruptError(`Cannot boot generation "${id}": manifest.json is ${st.size} bytes, over the limit`);
  return fs.readFile(path);
}

async function readOptional(fs: FileSystem, path: string): Promise<Uint8Array | null> {
  try {
    const st = await fs.lstat(path);
    if (st.kind !== 'file' || st.size > 4096) return new Uint8Array([0x7b]); // malformed: refused by the parser
    return await fs.readFile(path);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Streams a file through sha256. */
export async function hashFile(fs: FileSystem, path: string): Promise<{ sha256: string; size: number }> {
  if (fs.sha256) return fs.sha256(path);
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.readChunks(path)) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha256: h.digest('hex'), size };
}

/** Lists every entry below `dir` (lstat, never following links), keyed by relative path. */
export async function walkTree(fs: FileSystem, dir: string): Promise<Map<string, FileStat>> {
  const out = new Map<string, FileStat>();
  const visit = async (rel: string): Promise<void> => {
    // A directory's entries are stat'ed together: one at a time, each waits out a thread-pool round trip.
    const rels = (await fs.readdir(rel ? joinPath(dir, rel) : dir)).map((name) => (rel ? `${rel}/${name}` : name));
    const stats = await Promise.all(rels.map((r) => fs.lstat(joinPath(dir, r))));
    for (let i = 0; i < rels.length; i++) {
      out.set(rels[i]!, stats[i]!);
      if (stats[i]!.kind === 'dir') await visit(rels[i]!);
    }
  };
  await visit('');
  return out;
}

/**
 * Checks that `treeDir` holds exactly the manifest's files.
 * @throws GenerationCorruptError naming the first file that is missing, extra, not regular, or
 *   whose size, mode or sha256 differs
 */
export async function verifyTree(fs: FileSystem, treeDir: string, manifest: Manifest, id: string): Promise<void> {
  const corrupt = (path: string, what: string): GenerationCorruptError =>
    new GenerationCorruptError(`Cannot boot generation "${id}": file "${path}" ${what}`);
  let entries: Map<string, FileStat>;
  try {
    const top = await fs.lstat(treeDir);
    if (top.kind !== 'dir') throw corrupt('tree', `is a ${top.kind}, not a directory`);
    entries = await walkTree(fs, treeDir);
  } catch (err) {
    if (isNotFound(err)) throw corrupt('tree', 'is missing');
    throw err;
  }
  const dirs = new Set<string>();
  for (const f of manifest.files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const [path, st] of entries) {
    if (listed.has(path)) continue;
    if (dirs.has(path) && st.kind === 'dir') continue;
    throw corrupt(path, `is not in the manifest (unexpected ${st.kind})`);
  }
  for (const f of manifest.files) {
    const st = entries.get(f.path);
    if (!st) throw corrupt(f.path, 'is missing');
    if (st.kind !== 'file') throw corrupt(f.path, `is a ${st.kind}, expected a regular file`);
    if (st.size !== f.size) throw corrupt(f.path, `has size ${st.size}, expected ${f.size}`);
    if (st.mode !== f.mode) throw corrupt(f.path, `has mode ${st.mode.toString(8)}, expected ${f.mode.toString(8)}`);
    const got = await hashFile(fs, joinPath(treeDir, f.path));
    if (got.size !== f.size) throw corrupt(f.path, `changed size while being read (${got.size}, expected ${f.size})`);
    if (got.sha256 !== f.sha256) throw corrupt(f.path, `has sha256 ${got.sha256}, expected ${f.sha256}`);
  }
}

export interface Verifier {
  /** For selectGeneration: null when `id` verifies, else the named error. Never rejects. */
  verify(id: string): Promise<Error | null>;
  /** Results of successful verifications, so the boot stage does not hash a generation twice. */
  verified: Map<string, VerifiedGeneration>;
}

/**
 * A verifier for the boot policy over the store at `storeRoot`, remembering what passed.
 * @example const v = createVerifier(fs, root, trust); const d = await selectGeneration(state, { verify: v.verify });
 *   const gen = v.verified.get(d.id)!;
 */
export function createVerifier(fs: FileSystem, storeRoot: string, trust: TrustConfig): Verifier {
  const verified = new Map<string, VerifiedGeneration>();
  return {
    verified,
    async verify(id) {
      try {
        verified.set(id, await verifyGeneration(fs, storeRoot, id, trust));
        return null;
      } catch (err) {
        return err instanceof Error ? err : new GenerationCorruptError(`Cannot boot generation "${id}": ${String(err)}`);
      }
    },
  };
}
