// Picks the cgroup implementation this machine allows: v2 under the given root when the memory
// controller can be had there, else the v1 fallback (memory inside our own memory cgroup, and cpu, cpuacct
// and pids where mounted), else none.
// The choice and its reason end up in every service's status.
import { readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openCgroupV1, type CgroupV1Roots } from './cgroups-v1.js';
import { openCgroupV2, unavailable } from './cgroups-v2.js';
import type { Cgroups } from './ports.js';

export interface CgroupDetectOptions {
  /** The v2 root for services, e.g. /sys/fs/cgroup/dialogos (booted) or a delegated subtree (host mode). */
  v2Root?: string;
  /** Distinguishes host instances side by side: the v1 fallback root is `<own memory cgroup>/dialogos-<instance>`. */
  instance: string;
  /** Try the v1 memory fallback (default true). */
  v1Fallback?: boolean;
}

const V1 = ['memory', 'cpu', 'cpuacct', 'pids'] as const;
type V1Controller = typeof V1[number];
interface Mounts { v2?: string; v1: Partial<Record<V1Controller, string>> }

async function mounts(): Promise<Mounts> {
  const out: Mounts = { v1: {} };
  const text = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [, dir, type, opts] = line.split(' ');
    if (type === 'cgroup2' && !out.v2) out.v2 = dir;
    for (const c of V1) if (type === 'cgroup' && dir && opts?.split(',').includes(c)) out.v1[c] ??= dir;
  }
  return out;
}

/** Our own cgroup path in a hierarchy: "0::/x" for v2, "N:memory:/x" for a v1 controller. */
async function ownPath(controller: '' | V1Controller): Promise<string | null> {
  const text = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [, ctl, path] = line.split(':');
    if (ctl !== undefined && path !== undefined && (controller === '' ? ctl === '' : ctl.split(',').includes(controller))) return path;
  }
  return null;
}

/** Never throws: the result's `description` (and `reason` when unavailable) says what was found. */
export async function detectCgroups(opts: CgroupDetectOptions): Promise<Cgroups> {
  const m = await mounts();
  const why: string[] = [];
  if (m.v2) {
    // Our own cgroup first (a delegated subtree); it cannot give controllers to children while it holds
    // processes (v2's no-internal-processes rule), so as root also try the top of the hierarchy.
    const own = join(m.v2, (await ownPath('')) ?? '/');
    const candidates = opts.v2Root ? [opts.v2Root] : [...new Set([join(own, `dialogos-${opts.instance}`), join(m.v2, `dialogos-${opts.instance}`)])];
    let last: Cgroups | null = null;
    for (const root of candidates) {
      const v2 = await openCgroupV2(root);
      if (v2.available && v2.controllers.includes('memory')) return v2;
      why.push(v2.available ? v2.description : `cgroup v2: ${v2.reason}`);
      // Do not leave an unused (empty) group behind.
      if (!opts.v2Root) await rmdir(root).catch(() => undefined);
      last = v2;
    }
    if (last && (opts.v1Fallback === false || !m.v1.memory)) return opts.v2Root ? last : openCgroupV2(candidates[0]!);
  } else {
    why.push('no cgroup2 file system is mounted');
  }
  if (m.v1.memory && opts.v1Fallback !== false) {
    const roots: Partial<CgroupV1Roots> = {};
    for (const c of V1) {
      const mount = m.v1[c];
      if (mount) roots[c] = join(mount, (await ownPath(c)) ?? '/', `dialogos-${opts.instance}`);
    }
    const v1 = await openCgroupV1(roots as CgroupV1Roots);
    if (typeof v1 !== 'string') return withNote(v1, why);
    why.push(`cgroup v1 memory: ${v1}`);
  }
  return unavailable('', why.join('; '));
}

function withNote(c: Cgroups, why: string[]): Cgroups {
  return Object.assign(Object.create(null) as object, c, { description: `${c.description} (fallback: ${why.join('; ')})` }) as Cgroups;
}
