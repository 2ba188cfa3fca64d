// Where the runner keeps its files: the repository root is found from this module's own location, so the
// CLI, the tests and the bench agree whatever the working directory.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (dist/vm/paths.js -> ../../). */
export function projectRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** `.dialogos/cache` under the repository root: probe results, debootstrap trees, bench disks. */
export function cacheDir(): string {
  return join(projectRoot(), '.dialogos', 'cache');
}

/** `build/` under the repository root. */
export function buildDir(): string {
  return join(projectRoot(), 'build');
}

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS_TEMPLATE = '/usr/share/OVMF/OVMF_VARS_4M.fd';
export const QEMU = 'qemu-system-x86_64';
