// Builds the booted root at /newroot and writes the handover files PID 1 reads (native/init.c).
// Format (docs/ARCHITECTURE.md): handover.env has NEWROOT=, TRIAL=0|1, GENERATION= lines; handover.argv
// is main's argv with each argument ended by a NUL byte, so C reads both without a parser.
import { HandoverError } from './errors.js';
import { bindReadOnly, moveMount, mountFs } from './mounts.js';
import type { BootPlatform } from './platform.js';
import { TOOLS } from './platform.js';
import type { VerifiedGeneration } from './store.js';

export const NEW_ROOT = '/newroot';
export const RUN_DIR = '/run/dialogos';
/** Base-layer folders every generation shares (Node and its libraries live there). */
const BASE_DIRS = ['/usr', '/lib', '/lib64', '/bin', '/sbin'];

export interface Handover {
  newRoot: string;
  generation: string;
  trial: boolean;
  argv: string[];
}

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

export function formatHandoverEnv(h: Handover): string {
  for (const v of [h.newRoot, h.generation]) {
    if (/[\n\0=]/.test(v)) throw new HandoverError(`Cannot write the handover: "${v}" contains a newline, NUL or "="`);
  }
  return `NEWROOT=${h.newRoot}\nTRIAL=${h.trial ? 1 : 0}\nGENERATION=${h.generation}\n`;
}

export function formatHandoverArgv(argv: string[]): Buffer {
  return Buffer.from(argv.map((a) => `${a}\0`).join(''), 'utf8');
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

/** Writes handover.env, handover.argv and handover.json (the last for people and dialogosd). */
export function writeHandover(p: BootPlatform, h: Handover, dir = RUN_DIR): void {
  p.mkdir(dir);
  p.writeFile(`${dir}/handover.json`, `${JSON.stringify(h)}\n`);
  p.writeFile(`${dir}/handover.argv`, formatHandoverArgv(h.argv));
  p.writeFile(`${dir}/handover.env`, formatHandoverEnv(h));
}
