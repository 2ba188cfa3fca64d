// Checkpoints: weights, AdamW moments, RNG state and data position in one file, written atomically
// (temp file, fsync, rename, fsync of the folder), so a kill -9 or power cut leaves either the old or the new one.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from '../std/index.js';
import { CheckpointError } from './errors.js';

/** What a checkpoint remembers besides the tensors. */
export interface CheckpointMeta {
  /** Recipe name and the model shape it was trained with (resume refuses a different shape). */
  recipe: string;
  shape: string;
  corpusDigest: string;
  /** Steps completed. */
  step: number;
  rng: [number, number, number | null];
  tokensSeen: number;
  seconds: number;
  losses: number[];
}

export interface Checkpoint {
  meta: CheckpointMeta;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

const MAGIC = 'DGCK1';

/** Path of the checkpoint file in a checkpoint folder. */
export function checkpointFile(dir: string): string {
  return join(dir, 'checkpoint.bin');
}

/** Writes a checkpoint atomically to `file`. */
export function saveCheckpoint(file: string, ck: Checkpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  const header = Buffer.from(JSON.stringify(ck.meta));
  const head = Buffer.alloc(MAGIC.length + 8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length, MAGIC.length);
  head.writeUInt32LE(ck.params.length, MAGIC.length + 4);
  writeFileAtomicSync(file, [head, header, ck.params, ck.m, ck.v]);
}

/**
 * Reads a checkpoint, or null when there is none.
 * @throws CheckpointError when the file is truncated or not a checkpoint
 */
export function loadCheckpoint(file: string): Checkpoint | null {
  if (!existsSync(file)) return null;
  const buf = readFileSync(file);
  if (buf.length < MAGIC.length + 8 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new CheckpointError(`Cannot resume from "${file}": not a dialogos-mini checkpoint; delete it or train without --resume`);
  }
  const hlen = buf.readUInt32LE(MAGIC.length);
  const n = buf.readUInt32LE(MAGIC.length + 4);
  const start = MAGIC.length + 8 + hlen;
  if (buf.length !== start + 12 * n) {
    throw new CheckpointError(`Cannot resume from "${file}": it is ${buf.length} bytes, expected ${start + 12 * n}; delete it or train without --resume`);
  }
  const meta = JSON.parse(buf.toString('utf8', MAGIC.length + 8, start)) as CheckpointMeta;
  const floats = (i: number): Float32Array => {
    const out = new Float32Array(n);
    Buffer.from(out.buffer).set(buf.subarray(start + 4 * n * i, start + 4 * n * (i + 1)));
    return out;
  };
  return { meta, params: floats(0), m: floats(1), v: floats(2) };
}
