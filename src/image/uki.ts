// The unified kernel image: systemd's EFI stub with the kernel, initramfs, command line and os-release
// added as PE sections (what ukify does; bookworm has no ukify). Each section goes at a page-aligned
// address past the stub's last one, .linux last.
import { closeSync, openSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execText, execTool } from './exec.js';
import { ImageInputError } from './errors.js';

/**
 * Serial console last: the last `console=` becomes /dev/console, which is what PID 1, the boot stage and
 * the test harness talk to. `panic=5` reboots after a panic so boot counting can fall back.
 * `rootfstype=ramfs` lifts tmpfs's half-of-RAM cap off the unpacked initramfs.
 */
export const DEFAULT_CMDLINE = 'console=tty0 console=ttyS0,115200 quiet loglevel=4 panic=5 rootfstype=ramfs';

export interface UkiInputs {
  stub: string;
  kernel: string;
  initrd: string;
  cmdline: string;
  /** os-release text; systemd-boot reads its title, ID and version for the menu and for sorting. */
  osRelease: string;
}

const PAGE = 0x1000;
const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** The first page-aligned address past every section of the PE file `stub`. */
export async function endOfSections(stub: string): Promise<number> {
  const out = await execText('objdump', ['-h', stub]);
  let end = 0;
  for (const line of out.split('\n')) {
    const m = /^\s*\d+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s/.exec(line);
    if (m) end = Math.max(end, parseInt(m[1]!, 16) + parseInt(m[2]!, 16));
  }
  if (end === 0) throw new ImageInputError(`Cannot build the UKI: no sections found in stub "${stub}"`);
  return alignUp(end, PAGE);
}

export function osRelease(kver: string, version: string): string {
  return [
    'NAME="Dialogos"', 'ID=dialogos', `VERSION_ID="${version}"`,
    `PRETTY_NAME="Dialogos ${version} (${kver})"`, 'HOME_URL="https://dialogos.invalid/"', '',
  ].join('\n');
}

/**
 * Writes the UKI to `outFile`, using `workDir` for the small section files.
 * @throws ToolError when objcopy fails
 */
export async function buildUki(inputs: UkiInputs, workDir: string, outFile: string): Promise<number> {
  const osrel = join(workDir, 'uki.osrel');
  const cmdline = join(workDir, 'uki.cmdline');
  writeFileSync(osrel, inputs.osRelease);
  writeFileSync(cmdline, inputs.cmdline + '\0');
  const sections: [string, string][] = [['.osrel', osrel], ['.cmdline', cmdline], ['.initrd', inputs.initrd], ['.linux', inputs.kernel]];
  let vma = await endOfSections(inputs.stub);
  const args: string[] = [];
  for (const [name, file] of sections) {
    args.push('--add-section', `${name}=${file}`, '--change-section-vma', `${name}=0x${vma.toString(16)}`);
    vma = alignUp(vma + statSync(file).size, PAGE);
  }
  await execTool('objcopy', [...args, inputs.stub, outFile]);
  clearPeTimestamp(outFile);
  return statSync(outFile).size;
}

/**
 * objcopy stamps the PE header with the current time; zero it and the checksum over it (as the stub ships) for reproducibility.
 * Firmware ignores the field.
 */
export function clearPeTimestamp(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0x3c);
    const pe = head.readUInt32LE(0);
    const sig = Buffer.alloc(4);
    readSync(fd, sig, 0, 4, pe);
    if (sig.toString('binary') !== 'PE\0\0') throw new ImageInputError(`Cannot build the UKI: "${file}" is not a PE file`);
    writeSync(fd, Buffer.alloc(4), 0, 4, pe + 8);
    // The optional header's CheckSum covered the old stamp; firmware does not check it, 0 means "none".
    writeSync(fd, Buffer.alloc(4), 0, 4, pe + 24 + 64);
  } finally {
    closeSync(fd);
  }
}
