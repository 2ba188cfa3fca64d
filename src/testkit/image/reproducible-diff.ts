// Says where two disk images that should be byte-identical differ: which region of the disk (GPT,
// partition, gap, backup GPT), and inside a partition which files, named from the ESP's directory tree
// and the data partition's generation manifests (path, sha256, size, mode of every tree file).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DATA_PARTITION, ESP_PARTITION } from '../../image/disk-access.js';
import { readPartitions, type GptPartition } from '../../image/gpt.js';
import { dataDifferences, espDifferences } from './reproducible-files.js';

export interface Region { name: string; start: number; end: number }
export interface RegionDifference { region: string; firstOffset: number; blocks: number }

const BLOCK = 4096;
const CHUNK = 1 << 20;

/** The disk cut into its regions: before the first partition, each partition, gaps, and the tail. */
export function regionsOf(parts: readonly GptPartition[], size: number): Region[] {
  const out: Region[] = [];
  let at = 0;
  for (const p of [...parts].sort((a, b) => a.offset - b.offset)) {
    if (p.offset > at) out.push({ name: at === 0 ? 'protective MBR and primary GPT' : `gap before ${p.name}`, start: at, end: p.offset });
    out.push({ name: `partition ${p.index} "${p.name}"`, start: p.offset, end: p.offset + p.size });
    at = p.offset + p.size;
  }
  if (size > at) out.push({ name: 'backup GPT', start: at, end: size });
  return out;
}

/** Compares two files region by region; returns the regions that differ (first offset, 4 KiB blocks). */
export function differingRegions(a: string, b: string, regions: readonly Region[]): RegionDifference[] {
  const [fa, fb] = [openSync(a, 'r'), openSync(b, 'r')];
  const [x, y] = [Buffer.alloc(CHUNK), Buffer.alloc(CHUNK)];
  try {
    return regions.flatMap((r) => {
      let first = -1;
      const blocks = new Set<number>();
      for (let off = r.start; off < r.end; off += CHUNK) {
        const n = Math.min(CHUNK, r.end - off);
        const [na, nb] = [readSync(fa, x, 0, n, off), readSync(fb, y, 0, n, off)];
        if (na === nb && x.subarray(0, na).equals(y.subarray(0, nb))) continue;
        for (let i = 0; i < Math.max(na, nb); i++) {
          if (i < na && i < nb && x[i] === y[i]) continue;
          if (first < 0) first = off + i;
          blocks.add(Math.floor((off + i) / BLOCK));
        }
      }
      return first < 0 ? [] : [{ region: r.name, firstOffset: first, blocks: blocks.size }];
    });
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

/** Names the files that differ inside one partition of two images. */
export type Inspector = (a: string, b: string, part: GptPartition) => Promise<string[]>;
const DEFAULT_INSPECTORS: Record<string, Inspector> = { [ESP_PARTITION]: espDifferences, [DATA_PARTITION]: dataDifferences };

/** Reads the partition tables of both images and names what differs, down to files where it can. */
export async function compareImages(a: string, b: string, inspectors: Record<string, Inspector> = {}): Promise<string[]> {
  const [sa, sb] = [statSync(a).size, statSync(b).size];
  if (sa !== sb) return [`sizes differ: ${sa} vs ${sb} bytes`];
  let parts: GptPartition[] = [];
  try {
    parts = readPartitions(a);
    if (JSON.stringify(parts) !== JSON.stringify(readPartitions(b))) return ['partition tables differ'];
  } catch (err) {
    return [`Cannot read the partition tables: ${(err as Error).message}`];
  }
  const out: string[] = [];
  for (const d of differingRegions(a, b, regionsOf(parts, sa))) {
    out.push(`${d.region}: ${d.blocks} 4 KiB blocks differ, the first at byte ${d.firstOffset}`);
    const part = parts.find((p) => d.region === `partition ${p.index} "${p.name}"`);
    const inspect = part && (inspectors[part.name] ?? DEFAULT_INSPECTORS[part.name]);
    if (!part || !inspect) continue;
    const files = await inspect(a, b, part).catch((err: Error) => [`Cannot list the files of "${part.name}": ${err.message}`]);
    out.push(...files.map((l) => `  ${l}`));
  }
  return out;
}
