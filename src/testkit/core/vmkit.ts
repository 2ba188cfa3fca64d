// Talking to a booted Dialogos over its serial console for the core's VM tests: the operator shell
// (busybox sh) that dialogosd starts after `dialogos ready`. Markers are built by shell arithmetic, so the
// echo of the typed line never matches them; only the command's own output does.
import type { VmHandle } from '../../vm/index.js';

/** The CLI inside the guest: the generation's bundle. */
export const GUEST_DIALOGOS = 'node /dialogos/bin/dialogos.mjs';
export const READY = /dialogos ready generation=(\S+)\n/;

let serial = 5000;

/** The operator shell's prompt: the console starts the dialog first (issue 5), left with `exit`. */
export async function shellPrompt(vm: VmHandle, from = 0, timeoutMs = 120_000): Promise<void> {
  const first = await vm.waitFor(/\/ # |dialogos> /, { timeoutMs, from });
  if (first.match === '/ # ') return;
  vm.write('exit\n');
  await vm.waitFor('/ # ', { timeoutMs, from: first.index + first.match.length });
}

/** Runs `command` in the guest shell; its exit status and output. */
export async function sh(vm: VmHandle, command: string, timeoutMs = 180_000): Promise<{ status: number; output: string }> {
  const n = serial++;
  const from = vm.console().length;
  vm.write(`echo @@B$((${n}+0))@@; ${command}; echo @@E$((${n}+0))=$?@@\n`);
  const begin = await vm.waitFor(`@@B${n}@@\n`, { timeoutMs, from });
  const end = await vm.waitFor(new RegExp(`@@E${n}=(\\d+)@@`), { timeoutMs, from: begin.index + begin.match.length });
  return { status: Number(end.groups[0]), output: vm.console().slice(begin.index + begin.match.length, end.index) };
}

/** `dialogos <args> --json` in the guest, parsed. @throws when it exits non-zero */
export async function guestJson<T>(vm: VmHandle, args: string, timeoutMs = 180_000): Promise<T> {
  const r = await sh(vm, `${GUEST_DIALOGOS} ${args} --json 2>/tmp/core-vm.err`, timeoutMs);
  if (r.status !== 0) {
    const err = await sh(vm, '/bin/busybox cat /tmp/core-vm.err').then((e) => e.output, () => '(stderr unreadable)');
    throw new Error(`"dialogos ${args} --json" in the guest exited ${r.status}:\n${r.output}\n${err}`);
  }
  return JSON.parse(r.output.slice(r.output.indexOf('{'), r.output.lastIndexOf('}') + 1)) as T;
}
