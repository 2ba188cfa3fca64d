// The GPT disk: a sparse file with a partition table written by sgdisk (pinned GUIDs). The data
// partition's ext4 is made in place (mkfs.ext4 -E offset=); the ESP image is copied in with dd.
import { closeSync, openSync, ftruncateSync, rmSync } from 'node:fs';
import { execTool } from './exec.js';
import { deriveUuid } from './reproducible.js';

export const MiB = 1024 * 1024;
/** First partition at 1 MiB (sector 2048), the usual alignment; GPT backup needs 1 MiB at the end. */
const START = MiB;

export interface PartitionLayout { espOffset: number; espSize: number; dataOffset: number; dataSize: number; size: number }

/** Where each partition starts, given their sizes (both multiples of 1 MiB). */
export function layoutFor(espSize: number, dataSize: number): PartitionLayout {
  return { espOffset: START, espSize, dataOffset: START + espSize, dataSize, size: START + espSize + dataSize + MiB };
}

/**
 * Creates the sparse disk image `outFile` with its partition table (partitions left empty).
 * @throws ToolError when sgdisk fails
 */
export async function createDisk(layout: PartitionLayout, seed: string, outFile: string): Promise<void> {
  rmSync(outFile, { force: true });
  const fd = openSync(outFile, 'w');
  ftruncateSync(fd, layout.size);
  closeSync(fd);
  const sector = (bytes: number) => bytes / 512;
  await execTool('sgdisk', [
    '-U', deriveUuid(seed, 'disk-guid'),
    '-n', `1:${sector(layout.espOffset)}:${sector(layout.espOffset + layout.espSize) - 1}`,
    '-t', '1:EF00', '-c', '1:ESP', '-u', `1:${deriveUuid(seed, 'esp-partuuid')}`,
    '-n', `2:${sector(layout.dataOffset)}:${sector(layout.dataOffset + layout.dataSize) - 1}`,
    '-t', '2:8300', '-c', '2:dialogos-data', '-u', `2:${deriveUuid(seed, 'data-partuuid')}`,
    outFile,
  ]);
}

/** Copies a partition image into the disk at `offset` (holes stay holes). @throws ToolError */
export async function copyInto(partImage: string, disk: string, offset: number): Promise<void> {
  await execTool('dd', [`if=${partImage}`, `of=${disk}`, 'bs=1M', `seek=${offset / MiB}`, 'conv=notrunc,sparse', 'status=none']);
}

export interface DiskInputs {
  espImage: string;
  espSize: number;
  dataImage: string;
  dataSize: number;
  seed: string;
}

/** A disk from two ready partition images (tests, and callers with an ext4 image at hand). */
export async function buildDisk(inputs: DiskInputs, outFile: string): Promise<PartitionLayout> {
  const layout = layoutFor(inputs.espSize, inputs.dataSize);
  await createDisk(layout, inputs.seed, outFile);
  await copyInto(inputs.espImage, outFile, layout.espOffset);
  await copyInto(inputs.dataImage, outFile, layout.dataOffset);
  return layout;
}
