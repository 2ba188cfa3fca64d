// Host access to a built disk image: the data partition as a FileSystem (debugfs) and the ESP (mtools),
// both addressed in place by their GPT offsets, without loop mounts or root.
import { DebugfsFileSystem } from './debugfs-fs.js';
import { EspAccess } from './esp-access.js';
import { findPartition } from './gpt.js';

export const ESP_PARTITION = 'ESP';
export const DATA_PARTITION = 'dialogos-data';

/** @throws DiskLayoutError when the image has no GPT or no data partition */
export function openDataPartition(image: string): DebugfsFileSystem {
  return new DebugfsFileSystem(image, findPartition(image, DATA_PARTITION).offset);
}

/** @throws DiskLayoutError when the image has no GPT or no ESP */
export function openEsp(image: string): EspAccess {
  return new EspAccess(image, findPartition(image, ESP_PARTITION).offset);
}
