// What the host must have before any run: root, overlayfs, the util-linux and coreutils tools the setup
// script calls, the built jail, and cgroups that can limit memory and pids. Checked once per runner; the
// error names everything missing at once and what to do about it.
import { execFile } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import type { Cgroups } from '../../core/services/index.js';
import { SandboxUnavailableError } from './errors.js';

const TOOLS = ['unshare', 'mount', 'umount', 'timeout', 'chown', 'xargs', 'awk', 'sort', 'cp', 'env'];

const onPath = (tool: string, path: string): Promise<boolean> =>
  new Promise((resolve) => execFile('sh', ['-c', `command -v ${tool}`], { env: { PATH: path } }, (err) => resolve(!err)));

/** @throws SandboxUnavailableError naming each missing piece */
export async function preflight(o: { jail: string; cgroups: Cgroups; path: string; uid: number }): Promise<void> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (the sandbox mounts an overlay and makes namespaces: run the loop as root)');
  if (o.uid === 0) missing.push('an unprivileged uid for the run (uid 0 was configured)');
  const fs = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\toverlay$/m.test(fs)) missing.push('overlayfs (load the overlay kernel module: modprobe overlay)');
  for (const t of TOOLS) if (!(await onPath(t, o.path))) missing.push(`the "${t}" command (install util-linux and coreutils)`);
  if (!(await access(o.jail, constants.X_OK).then(() => true, () => false))) missing.push(`the jail binary "${o.jail}" (build it: native/build.sh OUTDIR jail)`);
  if (!o.cgroups.available) missing.push(`cgroups (${o.cgroups.reason ?? o.cgroups.description})`);
  for (const c of ['memory', 'pids']) {
    if (o.cgroups.available && !o.cgroups.controllers.includes(c)) missing.push(`the ${c} cgroup controller (${o.cgroups.description})`);
  }
  if (missing.length) throw new SandboxUnavailableError(`Cannot sandbox runs on this host: missing ${missing.join('; ')}`);
}
