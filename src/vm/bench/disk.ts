// Minimal UEFI disks for the boot benchmark's references, built the way the Dialogos image is (no loop
// mounts): a unified kernel image made with objcopy on systemd's stub, a FAT32 ESP made with mkfs.vfat -C +
// mtools holding systemd-boot, and a GPT disk assembled with sgdisk + dd. An optional second partition takes
// an ext4 image made with mkfs.ext4 -d.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SYSTEMD_BOOT = '/usr/lib/systemd/boot/efi/systemd-bootx64.efi';
export const EFI_STUB = '/usr/lib/systemd/boot/efi/linuxx64.efi.stub';

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The end of the stub's last section (VMA + size): new sections go above it. */
function stubEnd(stub: string): number {
  let end = 0;
  for (const line of run('objdump', ['-h', stub]).split('\n')) {
    const m = /^\s*\d+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s/.exec(line);
    if (m) end = Math.max(end, parseInt(m[2]!, 16) + parseInt(m[1]!, 16));
  }
  return end;
}

export interface UkiParts {
  kernel: string;
  initrd: string;
  cmdline: string;
  /** os-release text shown by systemd-boot. */
  osRelease: string;
}

/** Writes a unified kernel image to `out` (bookworm has no ukify: objcopy --add-section as ukify does). */
export function makeUki(parts: UkiParts, out: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-uki-'));
  try {
    const osrel = join(dir, 'osrel');
    const cmdline = join(dir, 'cmdline');
    writeFileSync(osrel, parts.osRelease);
    writeFileSync(cmdline, parts.cmdline);
    const sections: Array<[string, string]> = [['.osrel', osrel], ['.cmdline', cmdline], ['.linux', parts.kernel], ['.initrd', parts.initrd]];
    const align = (n: number): number => Math.ceil(n / 0x10000) * 0x10000;
    let vma = align(stubEnd(EFI_STUB));
    const args: string[] = [];
    for (const [name, file] of sections) {
      const size = Number(run('stat', ['-c', '%s', file]).trim());
      args.push('--add-section', `${name}=${file}`, '--change-section-vma', `${name}=0x${vma.toString(16)}`);
      vma = align(vma + size);
    }
    run('objcopy', [...args, EFI_STUB, out]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EspDiskSpec {
  out: string;
  espMiB: number;
  /** Files on the ESP: destination path (e.g. `EFI/Linux/x.efi`) -> host file. */
  espFiles: Record<string, string>;
  loaderConf: string;
  /** An ext4 root partition filled from this folder (mkfs.ext4 -d), labelled `label`. */
  root?: { dir: string; sizeMiB: number; label: string };
}

/** Builds a GPT disk: ESP (partition 1) with systemd-boot as the removable-media loader, optional root (2). */
export function makeEspDisk(spec: EspDiskSpec): void {
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-disk-'));
  try {
    const rootMiB = spec.root?.sizeMiB ?? 0;
    const totalMiB = 1 + spec.espMiB + rootMiB + 1;
    rmSync(spec.out, { force: true });
    run('truncate', ['-s', `${totalMiB}M`, spec.out]);
    const gpt = ['-o', '-n', `1:2048:+${spec.espMiB}M`, '-t', '1:ef00', '-c', '1:ESP'];
    if (spec.root) gpt.push('-n', '2:0:0', '-t', '2:8300', '-c', `2:${spec.root.label}`);
    run('sgdisk', [...gpt, spec.out]);
    const esp = join(dir, 'esp.img');
    run('mkfs.vfat', ['-F', '32', '-n', 'ESP', '-C', esp, String(spec.espMiB * 1024)]);
    const loader = join(dir, 'loader.conf');
    writeFileSync(loader, spec.loaderConf);
    const files: Record<string, string> = { 'EFI/BOOT/BOOTX64.EFI': SYSTEMD_BOOT, 'loader/loader.conf': loader, ...spec.espFiles };
    const dirs = new Set<string>();
    for (const dest of Object.keys(files)) {
      const parts = dest.split('/').slice(0, -1);
      for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    }
    for (const d of [...dirs].sort()) run('mmd', ['-i', esp, `::/${d}`]);
    for (const [dest, src] of Object.entries(files)) run('mcopy', ['-i', esp, src, `::/${dest}`]);
    run('dd', [`if=${esp}`, `of=${spec.out}`, 'bs=1M', 'seek=1', 'conv=notrunc,sparse', 'status=none']);
    if (spec.root) {
      const rootImg = join(dir, 'root.img');
      run('mkfs.ext4', ['-q', '-F', '-L', spec.root.label, '-d', spec.root.dir, rootImg, `${rootMiB}M`]);
      run('dd', [`if=${rootImg}`, `of=${spec.out}`, 'bs=1M', `seek=${1 + spec.espMiB}`, 'conv=notrunc,sparse', 'status=none']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

