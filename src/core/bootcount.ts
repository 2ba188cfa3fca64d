// Boot Loader Specification boot counting in file names: `NAME+LEFT[-DONE].efi`. systemd-boot lowers
// LEFT on each try; the booted OS blesses the entry by renaming it to `NAME.efi`.
import { BootCountNameError } from './errors.js';

export interface BootCountName {
  base: string;
  left: number;
  done: number | null;
  suffix: string;
}

const COUNTED = /^(.+)\+(\d{1,9})(?:-(\d{1,9}))?(\.efi|\.conf)$/i;

/** Splits a counted entry file name; null when the name carries no counter (already blessed). */
export function parseBootCountName(name: string): BootCountName | null {
  const m = COUNTED.exec(name);
  if (!m) return null;
  return { base: m[1] as string, left: Number(m[2]), done: m[3] === undefined ? null : Number(m[3]), suffix: m[4] as string };
}

/**
 * The blessed name of a counted entry: the counter dropped (`a+2-1.efi` -> `a.efi`), or null when there is
 * nothing to bless. An exhausted counter (`a+0-3.efi`) is blessed too: it is only ever applied to the entry
 * that actually booted (LoaderBootCountPath) and then passed its health checks, so it works.
 */
export function blessedName(name: string): string | null {
  const p = parseBootCountName(name);
  return p === null ? null : p.base + p.suffix;
}

/**
 * Turns a loader path (`\EFI\Linux\a+2-1.efi`) into an ESP-relative POSIX path (`EFI/Linux/a+2-1.efi`).
 * @throws BootCountNameError on an empty path or a component that is empty, `.`, `..` or contains `/` or NUL
 */
export function espRelativePath(loaderPath: string): string {
  const parts = loaderPath.replace(/^\\+/, '').split('\\');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\0')) {
      throw new BootCountNameError(`Cannot use loader path ${JSON.stringify(loaderPath)}: component ${JSON.stringify(p)} is not a plain name`);
    }
  }
  return parts.join('/');
}
