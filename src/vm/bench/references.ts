// The benchmark's two reference systems, built once and cached under .dialogos/cache/bench:
// the floor (the host's kernel in a UKI whose initramfs is busybox printing a marker, then powering off) and
// a minimal Debian with systemd (debootstrap minbase) booted through systemd-boot to its login prompt.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostKernel } from '../accel.js';
import { writeMarkerInitramfs } from '../initramfs.js';
import { makeEspDisk, makeUki } from './disk.js';

export const FLOOR_MARKER = 'DIALOGOS-FLOOR-SHELL';
export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const ESP_MIB = 256; // as the Dialogos image: same FAT32 geometry for the firmware to read
// Same kernel command line shape for both references: serial console, no `quiet`, so kernel lines are timed.
const CMDLINE = 'console=ttyS0 panic=-1';
const LOADER_CONF = 'timeout 0\nconsole-mode keep\n';

/** A disk booting the host's kernel straight to a busybox shell (which prints the marker and powers off). */
export function floorDisk(dir: string, log: (l: string) => void): string {
  const out = join(dir, 'floor.img');
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  log('bench: building the floor disk (busybox initramfs in a UKI)');
  const work = mkdtempSync(join(tmpdir(), 'dialogos-floor-'));
  try {
    const initrd = writeMarkerInitramfs(join(work, 'floor.cpio'), { marker: FLOOR_MARKER });
    const uki = join(work, 'floor.efi');
    makeUki({ kernel: hostKernel(), initrd, cmdline: CMDLINE, osRelease: 'NAME="floor"\nID=floor\nVERSION_ID=1\n' }, uki);
    makeEspDisk({ out: out + '.tmp', espMiB: ESP_MIB, espFiles: { 'EFI/Linux/floor.efi': uki }, loaderConf: LOADER_CONF });
    renameSync(out + '.tmp', out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

/** debootstrap's tree, made once (needs Debian's mirror; ~3 min, ~770 MB). */
export function debianRoot(dir: string, log: (l: string) => void): string {
  const root = join(dir, 'debian-rootfs');
  if (existsSync(join(root, 'usr/lib/systemd/systemd'))) return root;
  const tmp = root + '.tmp';
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`bench: debootstrap --variant=minbase --include=systemd-sysv,linux-image-amd64 bookworm (into ${tmp})`);
  execFileSync('debootstrap', ['--variant=minbase', '--include=systemd-sysv,linux-image-amd64', 'bookworm', tmp, DEBIAN_MIRROR], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(tmp, root);
  return root;
}

/** A disk booting the debootstrap'ed Debian through systemd-boot (its own kernel + initrd in a UKI). */
export function debianDisk(dir: string, log: (l: string) => void): string {
  const out = join(dir, 'debian.img');
  if (existsSync(out)) return out;
  const root = debianRoot(join(dir, '..'), log);
  const boot = join(root, 'boot');
  const kver = readdirSync(boot).filter((n) => n.startsWith('vmlinuz-')).sort().pop()?.slice('vmlinuz-'.length);
  if (!kver) throw new Error(`Cannot build the Debian reference: no kernel in "${boot}"`);
  log(`bench: building the Debian reference disk (kernel ${kver}, ext4 root from ${root})`);
  writeFileSync(join(root, 'etc/fstab'), 'LABEL=debian-root / ext4 defaults 0 1\n');
  writeFileSync(join(root, 'etc/hostname'), 'debian-ref\n');
  const work = mkdtempSync(join(tmpdir(), 'dialogos-debian-'));
  try {
    const uki = join(work, 'debian.efi');
    makeUki({
      kernel: join(boot, `vmlinuz-${kver}`), initrd: join(boot, `initrd.img-${kver}`),
      cmdline: `root=LABEL=debian-root rw ${CMDLINE}`, osRelease: 'NAME="Debian reference"\nID=debian\nVERSION_ID=12\n',
    }, uki);
    makeEspDisk({
      out: out + '.tmp', espMiB: ESP_MIB, espFiles: { 'EFI/Linux/debian.efi': uki }, loaderConf: LOADER_CONF,
      root: { dir: root, sizeMiB: 1536, label: 'debian-root' },
    });
    renameSync(out + '.tmp', out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
