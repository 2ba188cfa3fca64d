// Blesses the unified kernel image that booted: the file systemd-boot names in LoaderBootCountPath
// loses its `+LEFT-DONE` counter. No variable means no boot counting: nothing to do.
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../std/index.js';
import { blessedName, espRelativePath } from './bootcount.js';
import { parseEfiString, loaderVarPath, EFIVARS_DIR } from './efivar.js';
import { UkiBlessError } from './errors.js';
import { findEspDevice } from './esp.js';
import type { Spawner } from './ports.js';
import { tool } from './real.js';

export type UkiBlessResult =
  | { kind: 'no-counting' }
  | { kind: 'already-blessed'; path: string }
  | { kind: 'blessed'; from: string; to: string };

export interface UkiBlesser {
  blessRunning(): Promise<UkiBlessResult>;
}

/** Reads LoaderBootCountPath; null when the variable is absent (no boot counting for this entry). */
export async function readBootCountPath(efivarsDir = EFIVARS_DIR): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(loaderVarPath('LoaderBootCountPath', efivarsDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UkiBlessError('Cannot read EFI variable LoaderBootCountPath', { cause: err });
  }
  return parseEfiString(bytes);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/**
 * Renames the counted file `loaderPath` under the mounted ESP `espRoot` to its blessed name, durably.
 * @throws UkiBlessError when neither the counted nor the blessed file exists, or the rename fails
 */
export async function blessUkiOnEsp(espRoot: string, loaderPath: string): Promise<UkiBlessResult> {
  const rel = espRelativePath(loaderPath);
  const file = rel.split('/').at(-1) as string;
  const target = blessedName(file);
  const from = join(espRoot, rel);
  if (target === null) return { kind: 'already-blessed', path: from };
  const to = join(dirname(from), target);
  if (!(await exists(from))) {
    if (await exists(to)) return { kind: 'already-blessed', path: to };
    throw new UkiBlessError(`Cannot bless kernel image "${loaderPath}": "${from}" does not exist`);
  }
  try {
    await rename(from, to);
    await fsyncDir(dirname(to));
  } catch (err) {
    throw new UkiBlessError(`Cannot bless kernel image "${loaderPath}": rename to "${target}" failed`, { cause: err });
  }
  return { kind: 'blessed', from: rel, to: join(dirname(rel), target) };
}

export interface RealUkiBlesserInit {
  spawner: Spawner;
  efivarsDir?: string;
  /** Absent on a legacy BIOS boot: then there is no boot counting. */
  efiDir?: string;
  mountsFile?: string;
  /** Where to mount the ESP (made if missing). */
  mountDir: string;
  findEsp?: () => Promise<string>;
}

/** The real blesser: reads the efivar, mounts the ESP (vfat), renames, syncs, unmounts. */
export function createUkiBlesser(init: RealUkiBlesserInit): UkiBlesser {
  const findEsp = init.findEsp ?? (() => findEspDevice());
  const sh = async (argv: string[]): Promise<void> => {
    const r = await init.spawner.run(argv, 20_000);
    if (r.kind !== 'exit' || r.code !== 0) {
      const why = r.kind === 'exit' ? `exit code ${r.code}: ${r.stderrTail}` : r.kind === 'error' ? r.message : r.kind;
      throw new UkiBlessError(`Cannot bless kernel image: "${argv.join(' ')}" failed (${why})`);
    }
  };
  return {
    async blessRunning() {
      const efivars = init.efivarsDir ?? EFIVARS_DIR;
      if (!(await exists(init.efiDir ?? '/sys/firmware/efi'))) return { kind: 'no-counting' };
      // efivarfs is a module in Debian's kernel and PID 1 does not mount it: an unmounted efivars dir
      // would read as "no boot counting" and leave the kernel image unblessed for ever.
      const mounts = await readFile(init.mountsFile ?? '/proc/mounts', 'utf8').catch(() => '');
      if (!mounts.split('\n').some((l) => l.split(' ')[1] === efivars && l.split(' ')[2] === 'efivarfs')) {
        await init.spawner.run([...tool('modprobe'), 'efivarfs'], 20_000);
        await sh([...tool('mount'), '-t', 'efivarfs', 'efivarfs', efivars]);
      }
      const loaderPath = await readBootCountPath(efivars);
      if (loaderPath === null) return { kind: 'no-counting' };
      const device = await findEsp();
      await mkdir(init.mountDir, { recursive: true });
      // vfat is a module in Debian's kernel; the boot stage usually loaded it already.
      await init.spawner.run([...tool('modprobe'), 'vfat'], 20_000);
      await sh([...tool('mount'), '-t', 'vfat', device, init.mountDir]);
      try {
        return await blessUkiOnEsp(init.mountDir, loaderPath);
      } finally {
        await sh([...tool('umount'), init.mountDir]);
      }
    },
  };
}

/** Host mode: the efivars and the mounted ESP are plain directories (tests, image inspection). */
export function createDirUkiBlesser(efivarsDir: string, espDir: string): UkiBlesser {
  return {
    async blessRunning() {
      const loaderPath = await readBootCountPath(efivarsDir);
      if (loaderPath === null) return { kind: 'no-counting' };
      return blessUkiOnEsp(espDir, loaderPath);
    },
  };
}
