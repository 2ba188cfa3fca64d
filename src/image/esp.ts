// The EFI system partition: FAT32 made with mkfs.vfat and filled with mtools (no mount), holding
// systemd-boot and the A/B unified kernel images as Boot Loader Specification type #2 entries.
import { copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execTool } from './exec.js';
import { deriveVolumeId } from './reproducible.js';

export const ESP_LABEL = 'ESP';

/**
 * `auto-entries no` hides the firmware's own entries; `timeout 0` boots the first entry at once (the
 * Dialogos menu lives in the boot stage, where it can show generations).
 */
export const LOADER_CONF = 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\nconsole-mode keep\n';

/**
 * File name of a UKI entry in EFI/Linux. systemd-boot orders entries of the same sort key and version
 * by id, newest (highest by version compare) first, so "b" is tried before the blessed "a"; `+N` is the
 * boot counter systemd-boot decrements on each try, and blessing drops it by renaming.
 */
export function ukiEntryName(kver: string, slot: 'a' | 'b', tries?: number): string {
  return `dialogos-${kver}-${slot}${tries === undefined ? '' : `+${tries}`}.efi`;
}

export interface EspInputs {
  systemdBoot: string;
  uki: string;
  kver: string;
  /** Boot tries of the new ("b") entry. */
  tries: number;
  epoch: number;
  seed: string;
  sizeBytes: number;
}

/** Writes the FAT32 image `outFile`, staging files with pinned mtimes in `workDir`. */
export async function buildEsp(inputs: EspInputs, workDir: string, outFile: string): Promise<void> {
  const stage = join(workDir, 'esp-files');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const files: [string, string][] = [
    ['EFI/BOOT/BOOTX64.EFI', inputs.systemdBoot],
    ['EFI/systemd/systemd-bootx64.efi', inputs.systemdBoot],
    [`EFI/Linux/${ukiEntryName(inputs.kver, 'a')}`, inputs.uki],
    [`EFI/Linux/${ukiEntryName(inputs.kver, 'b', inputs.tries)}`, inputs.uki],
  ];
  const loaderConf = join(stage, 'loader.conf');
  writeFileSync(loaderConf, LOADER_CONF);
  files.push(['loader/loader.conf', loaderConf]);

  rmSync(outFile, { force: true });
  // --invariant pins the FAT's own random and time fields; -i after it overrides its fixed volume id.
  const env = { SOURCE_DATE_EPOCH: String(inputs.epoch) };
  await execTool('mkfs.vfat', ['-C', '-F', '32', '-n', ESP_LABEL, '--invariant', '-i', deriveVolumeId(inputs.seed, 'esp'), outFile, String(Math.floor(inputs.sizeBytes / 1024))], { env });
  for (const dir of ['EFI', 'EFI/BOOT', 'EFI/systemd', 'EFI/Linux', 'loader']) {
    await execTool('mmd', ['-i', outFile, `::${dir}`], { env });
  }
  for (const [i, [dest, src]] of files.entries()) {
    // mcopy -m keeps the source's mtime: copy first so the timestamp is the build's, not the host's.
    const staged = join(stage, `f${i}`);
    copyFileSync(src, staged);
    utimesSync(staged, inputs.epoch, inputs.epoch);
    await execTool('mcopy', ['-m', '-o', '-i', outFile, staged, `::${dest}`], { env });
  }
  rmSync(stage, { recursive: true, force: true });
}
