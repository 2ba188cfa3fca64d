// Builds the booted root at /newroot and writes the handover files PID 1 reads (native/init.c). The format
// (handover.env, handover.argv, handover.json) is owned by src/gen/handover.ts, which dialogosd reads with.
import { formatHandoverArgv, formatHandoverEnv, formatHandoverJson, type Handover } from '../gen/handover.js';
import { HandoverError } from './errors.js';
import { bindReadOnly, moveMount, mountFs } from './mounts.js';
import type { BootPlatform } from './platform.js';
import { TOOLS } from './platform.js';
import type { VerifiedGeneration } from './store.js';

export const NEW_ROOT = '/newroot';
export const RUN_DIR = '/run/dialogos';
/** Base-layer folders every generation shares (Node and its libraries live there). */
const BASE_DIRS = ['/usr', '/lib', '/lib64', '/bin', '/sbin'];

/** A tree-relative path from a manifest, checked so it cannot leave the tree. */
export function treePath(id: string, field: string, path: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\0') || parts.some((s) => s === '..' || s === '')) {
    throw new HandoverError(`Cannot boot generation "${id}": ${field} "${path}" is not a plain path inside its tree`);
  }
  return path;
}

/** main's argv after switch_root: the base Node runs the tree's entry from /dialogos. */
export function mainArgv(gen: VerifiedGeneration): string[] {
  const { main, args } = gen.manifest.entry;
  const argv = [TOOLS.node, `/dialogos/${treePath(gen.id, 'entry.main', main)}`, ...args];
  if (argv.some((a) => a.includes('\0'))) {
    throw new HandoverError(`Cannot boot generation "${gen.id}": entry.args contains a NUL byte`);
  }
  return argv;
}

/**
 * Mounts the new root: tmpfs, read-only base layer, the generation read-only at /dialogos, /data moved in.
 * @throws MountError naming the step that failed.
 */
export function prepareNewRoot(p: BootPlatform, gen: VerifiedGeneration, root = NEW_ROOT): void {
  mountFs(p, 'tmpfs', 'tmpfs', root, 'mode=0755');
  for (const dir of BASE_DIRS) if (p.exists(dir)) bindReadOnly(p, dir, `${root}${dir}`);
  bindReadOnly(p, gen.treeDir, `${root}/dialogos`);
  moveMount(p, '/data', `${root}/data`);
  for (const dir of ['proc', 'sys', 'dev', 'run', 'tmp', 'etc']) p.mkdir(`${root}/${dir}`);
}

/**
 * Writes handover.json (for people and dialogosd), handover.argv and, last, handover.env (PID 1 reads it first).
 * @throws HandoverFormatError (src/gen) before writing anything when a field breaks the format
 */
export function writeHandover(p: BootPlatform, h: Handover, dir = RUN_DIR): void {
  const json = formatHandoverJson(h), argv = formatHandoverArgv(h.argv), env = formatHandoverEnv(h);
  p.mkdir(dir);
  p.writeFile(`${dir}/handover.json`, json);
  p.writeFile(`${dir}/handover.argv`, argv);
  p.writeFile(`${dir}/handover.env`, env);
}
