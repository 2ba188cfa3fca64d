// The base layer: an initramfs with the tiny native init, busybox, Node and the libraries it loads, the
// boot module closure and the bundled boot stage. Written as a newc cpio by us (device nodes without root,
// sorted, one mtime), then compressed.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeCpio, type CpioEntry } from './cpio.js';
import { execText, execTool } from './exec.js';
import type { HostInputs } from './host.js';
import { BOOT_MODULES, OPTIONAL_MODULES, moduleClosure, stageModules } from './modules.js';
import { sha256Hex } from './reproducible.js';
import { walkTree } from './walk.js';

/**
 * Applets linked to /bin/busybox: what init's emergency shell and the boot stage call, and the tools the
 * evaluator's sandbox setup calls (src/evolve/sandbox/preflight.ts: unshare, timeout, chown, xargs, awk, sort, env).
 */
export const BUSYBOX_APPLETS = [
  'sh', 'mount', 'umount', 'modprobe', 'insmod', 'blkid', 'findfs', 'stty', 'sync', 'ls', 'cat', 'mkdir',
  'setsid', 'poweroff', 'reboot', 'dmesg', 'echo', 'mknod', 'ln', 'rm', 'mv', 'cp',
  'unshare', 'timeout', 'chown', 'xargs', 'awk', 'sort', 'env', 'setpriv',
];

/** Where the sandbox's native jail (native/jail.c) lies in the base layer. */
export const JAIL_PATH = 'usr/lib/dialogos/jail';

/** `zstd:<level>` or `lz4` (legacy frame, the only lz4 the kernel unpacks). */
export type Compression = `zstd:${number}` | 'lz4';

export interface InitramfsInputs {
  host: HostInputs;
  init: string;
  kexec: string;
  /** The evaluator sandbox's jail (native/jail.c); none in images built before it shipped. */
  jail?: string;
  /** The bundled boot stage (stage.mjs). */
  stage: string;
  compression: Compression;
}

export interface InitramfsResult {
  path: string;
  size: number;
  uncompressedSize: number;
  cached: boolean;
}

/** Shared libraries `ldd` reports for `binary`, as the absolute paths the loader will open. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const out = await execText('ldd', [binary]);
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs.sort();
}

/** Node with its debug info stripped (86 MB instead of ~100), cached by the digest of the original. */
export async function strippedNode(node: string, cacheDir: string): Promise<string> {
  const out = join(cacheDir, `node-${sha256Hex(readFileSync(node)).slice(0, 16)}.stripped`);
  if (!existsSync(out)) {
    mkdirSync(cacheDir, { recursive: true });
    await execTool('strip', ['--strip-all', '-o', `${out}.tmp`, node]);
    copyFileSync(`${out}.tmp`, out);
    rmSync(`${out}.tmp`);
  }
  return out;
}

async function availableApplets(busybox: string): Promise<Set<string>> {
  return new Set((await execText(busybox, ['--list'])).split('\n'));
}

/** The archive's entries, modules staged under `modRoot`. */
export async function initramfsEntries(inputs: InitramfsInputs, modRoot: string, cacheDir: string): Promise<CpioEntry[]> {
  const { host } = inputs;
  const entries: CpioEntry[] = [];
  for (const d of ['dev', 'proc', 'sys', 'run', 'newroot', 'data', 'etc', 'root']) entries.push({ type: 'dir', path: d });
  entries.push({ type: 'dir', path: 'tmp', mode: 0o1777 });
  // devtmpfs is not mounted for an initramfs: the kernel opens /dev/console from the archive itself.
  entries.push({ type: 'char', path: 'dev/console', mode: 0o600, major: 5, minor: 1 });
  entries.push({ type: 'char', path: 'dev/null', mode: 0o666, major: 1, minor: 3 });
  entries.push({ type: 'file', path: 'init', mode: 0o755, source: inputs.init });
  entries.push({ type: 'file', path: 'usr/lib/dialogos/kexec', mode: 0o755, source: inputs.kexec });
  if (inputs.jail) entries.push({ type: 'file', path: JAIL_PATH, mode: 0o755, source: inputs.jail });
  entries.push({ type: 'file', path: 'usr/lib/dialogos/stage.mjs', mode: 0o644, source: inputs.stage });
  entries.push({ type: 'data', path: 'usr/bin/dialogos', mode: 0o755, data: Buffer.from(DIALOGOS_WRAPPER) });
  entries.push({ type: 'file', path: 'bin/busybox', mode: 0o755, source: host.busybox });
  const have = await availableApplets(host.busybox);
  for (const a of BUSYBOX_APPLETS.filter((x) => have.has(x))) entries.push({ type: 'symlink', path: `bin/${a}`, target: 'busybox' });
  // The kernel execs /sbin/modprobe itself (request_module) when a mount needs crc32c.
  entries.push({ type: 'symlink', path: 'sbin/modprobe', target: '../bin/busybox' });
  entries.push({ type: 'file', path: 'usr/bin/node', mode: 0o755, source: await strippedNode(host.node, cacheDir) });
  for (const lib of await sharedLibraries(host.node)) {
    entries.push({ type: 'file', path: lib, mode: 0o755, source: lib });
  }
  rmSync(modRoot, { recursive: true, force: true });
  const kos = await moduleClosure(host.kver, BOOT_MODULES, OPTIONAL_MODULES);
  await stageModules(host.kver, host.modulesDir, kos, modRoot);
  for (const e of walkTree(modRoot)) {
    if (e.type === 'file') entries.push({ type: 'file', path: e.rel, mode: 0o644, source: e.abs });
  }
  return entries;
}

/**
 * `dialogos` on the booted system's PATH: the base layer is shared by generations, so it runs whichever
 * generation is mounted at /dialogos rather than carrying a CLI of its own.
 */
export const DIALOGOS_WRAPPER = '#!/bin/sh\nexec /usr/bin/node /dialogos/bin/dialogos.mjs "$@"\n';

/** Digest of everything the initramfs is made from: the cache key of the compressed archive. */
export function initramfsDigest(inputs: InitramfsInputs): string {
  const parts = [inputs.compression, inputs.host.kver, BUSYBOX_APPLETS.join(','), BOOT_MODULES.join(','), 'cpio-v1', DIALOGOS_WRAPPER];
  for (const f of [inputs.init, inputs.kexec, ...(inputs.jail ? [inputs.jail] : []), inputs.stage, inputs.host.busybox, inputs.host.node, join(inputs.host.modulesDir, 'modules.dep')]) {
    parts.push(sha256Hex(readFileSync(f)));
  }
  return sha256Hex(parts.join('\n'));
}

/**
 * Builds (or takes from `cacheDir`) the compressed initramfs.
 * @throws ToolError when modprobe, depmod, strip or the compressor fail
 */
export async function buildInitramfs(inputs: InitramfsInputs, workDir: string, cacheDir: string, epoch: number): Promise<InitramfsResult> {
  const digest = initramfsDigest(inputs);
  const ext = inputs.compression === 'lz4' ? 'lz4' : 'zst';
  const cached = join(cacheDir, `initramfs-${digest.slice(0, 24)}-${epoch}.cpio.${ext}`);
  const raw = join(workDir, 'initramfs.cpio');
  if (existsSync(cached)) return { path: cached, size: statSync(cached).size, uncompressedSize: 0, cached: true };
  mkdirSync(workDir, { recursive: true });
  const uncompressedSize = writeCpio(raw, await initramfsEntries(inputs, join(workDir, 'modroot'), cacheDir), epoch);
  const tmp = `${cached}.tmp`;
  if (inputs.compression === 'lz4') await execTool('lz4', ['-l', '-9', '-q', '-f', raw, tmp]);
  else await execTool('zstd', ['-q', '-f', `-${inputs.compression.slice(5)}`, '-T1', raw, '-o', tmp]);
  copyFileSync(tmp, cached);
  rmSync(tmp);
  rmSync(raw);
  return { path: cached, size: statSync(cached).size, uncompressedSize, cached: false };
}
