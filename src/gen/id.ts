// Generation ids name a manifest by content: g<version>-<first 12 hex of sha256(manifest bytes)>,
// so a directory whose manifest was swapped or edited no longer matches its name.
import { createHash } from 'node:crypto';
import { GenerationIdInvalidError } from './errors.js';

const ID_RE = /^g(0|[1-9]\d{0,15})-([0-9a-f]{12})$/;

/** The hex sha256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** @example generationId(bytes, 42) === 'g42-1a2b3c4d5e6f' */
export function generationId(manifestBytes: Uint8Array, version: number): string {
  return `g${version}-${sha256Hex(manifestBytes).slice(0, 12)}`;
}

/** True when `id` has the shape of a generation id (safe to use as a directory name). */
export function isGenerationId(id: string): boolean {
  const m = ID_RE.exec(id);
  return m !== null && Number.isSafeInteger(Number(m[1]));
}

/**
 * Splits an id into its version and digest prefix.
 * @throws GenerationIdInvalidError when `id` is not `g<version>-<12 hex>`
 */
export function parseGenerationId(id: string): { version: number; digest: string } {
  const m = ID_RE.exec(id);
  const version = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(version)) {
    throw new GenerationIdInvalidError(`Invalid generation id "${id}": expected g<version>-<12 lowercase hex>`);
  }
  return { version, digest: m[2]! };
}
