// What makes two builds of the same inputs byte-identical: one timestamp, and identifiers (GUIDs, UUIDs,
// volume ids, hash seeds) derived from the digest of the inputs instead of drawn at random.
import { createHash } from 'node:crypto';
import { execText } from './exec.js';

/** Fallback epoch when neither SOURCE_DATE_EPOCH nor git is there (inside the OS): 2024-01-01T00:00:00Z. */
export const FIXED_EPOCH = 1704067200;

/**
 * The build's timestamp in seconds: $SOURCE_DATE_EPOCH, else the last commit time of `sourceRoot`,
 * else FIXED_EPOCH (the reproducible-builds.org convention).
 */
export async function sourceDateEpoch(sourceRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  try {
    const t = await execText('git', ['-C', sourceRoot, 'log', '-1', '--format=%ct']);
    if (/^\d+$/.test(t)) return Number(t);
  } catch {
    // not a git checkout: the shipped tree inside the OS has no .git
  }
  return FIXED_EPOCH;
}

function derive(seed: string, label: string): Buffer {
  return createHash('sha256').update(seed).update('\0').update(label).digest();
}

/** A version-4-shaped UUID that is a pure function of (seed, label). */
export function deriveUuid(seed: string, label: string): string {
  const b = derive(seed, label).subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A FAT volume id (8 hex digits) derived from (seed, label). */
export function deriveVolumeId(seed: string, label: string): string {
  return derive(seed, label).subarray(0, 4).toString('hex');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
