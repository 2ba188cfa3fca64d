// The GPT disk: partition table with sgdisk (pinned GUIDs), partitions copied into place with dd.
import { closeSync, openSync, ftruncateSync, rmSync } from 'node:fs';
import { execTool } from './exec.js';
import { deriveUuid } from './reproducible.js';

export const MiB = 1024 * 1024;
/** First partition at 1 MiB (sector 2048), the usual alignment; GPT backup needs 1 MiB at the end. */
const START = MiB;

export interface DiskInputs {
  espImage: string;
  espSize: number;
  dataImage: string;
  dataSize: number;
  seed: string;
}

export interface PartitionLayout { espOffset: number; dataOffset: number; size: number }

/** Where each partition starts, given their sizes (both multiples of 1 MiB). */
export function layoutFor(espSize: number, dataSize: number): PartitionLayout {
  return { espOffset: START, dataOffset: START + espSize, size: START + espSize + dataSize + MiB };
}

/**
 * Writes the sparse disk image `outFile`.
 * @throws ToolError when sgdisk or dd fail
 */
export async function buildDisk(inputs: DiskInputs, outFile: string): Promise<PartitionLayout> {
  const layout = layoutFor(inputs.espSize, inputs.dataSize);
  rmSync(outFile, { force: true });
  const fd = openSync(outFile, 'w');
  ftruncateSync(fd, layout.size);
  closeSync(fd);
  const sector = (bytes: number) => bytes / 512;
  await execTool('sgdisk', [
    '-U', deriveUuid(inputs.seed, 'disk-guid'),
    '-n', `1:${sector(layout.espOffset)}:${sector(layout.espOffset + inputs.espSize) - 1}`,
    '-t', '1:EF00', '-c', '1:ESP', '-u', `1:${deriveUuid(inputs.seed, 'esp-partuuid')}`,
    '-n', `2:${sector(layout.dataOffset)}:${sector(layout.dataOffset + inputs.dataSize) - 1}`,
    '-t', '2:8300', '-c', '2:dialogos-data', '-u', `2:${deriveUuid(inputs.seed, 'data-partuuid')}`,
    outFile,
  ]);
  for (const [img, off] of [[inputs.espImage, layout.espOffset], [inputs.dataImage, layout.dataOffset]] as const) {
    await execTool('dd', [`if=${img}`, `of=${outFile}`, 'bs=1M', `seek=${off / MiB}`, 'conv=notrunc,sparse', 'status=none']);
  }
  return layout;
}
