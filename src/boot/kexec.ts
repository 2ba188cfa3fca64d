// Jumps into a generation's own kernel through the static kexec helper (native/kexec.c). The new kernel's
// command line names the generation, so the stage there boots it without a second kexec.
import { KexecError } from './errors.js';
import { treePath } from './handover.js';
import type { BootPlatform } from './platform.js';
import { TOOLS } from './platform.js';
import type { VerifiedGeneration } from './store.js';

export function kexecArgv(gen: VerifiedGeneration): string[] {
  const k = gen.manifest.kernel;
  if (!k) throw new KexecError(`Cannot kexec generation "${gen.id}": its manifest has no kernel`);
  const image = `${gen.treeDir}/${treePath(gen.id, 'kernel.image', k.image)}`;
  const initrd = k.initrd === null ? '-' : `${gen.treeDir}/${treePath(gen.id, 'kernel.initrd', k.initrd)}`;
  const cmdline = `${k.cmdline} dialogos.gen=${gen.id}`.trim();
  return [TOOLS.kexec, image, initrd, cmdline];
}

/**
 * Runs the helper; on success it never returns (the machine is in the new kernel).
 * @throws KexecError with the helper's own message when it comes back.
 */
export function kexecGeneration(p: BootPlatform, gen: VerifiedGeneration): never {
  const r = p.run(kexecArgv(gen));
  const why = (r.error?.message ?? r.stderr.trim()) || `exit status ${String(r.status)}`;
  throw new KexecError(`Cannot kexec generation "${gen.id}": ${why}`);
}
