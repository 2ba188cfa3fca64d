// Talking to a booted Dialogos over its serial console: the operator shell (busybox sh) that dialogosd
// starts after `dialogos ready`. Markers are built by the shell's arithmetic ($((…))), so the echo of the
// typed line never matches them; only the command's own output does.
import type { VmHandle } from '../../vm/index.js';

/** The CLI inside the guest: `dialogos` is not on PATH there, the generation's bundle is. */
export const GUEST_DIALOGOS = 'node /dialogos/bin/dialogos.mjs';

let serial = 1000;

/**
 * Waits for the operator shell's prompt after the ready line. The console starts the dialog first
 * (issue 5): its prompt is left with `exit`, and the shell follows.
 */
export async function shellPrompt(vm: VmHandle, timeoutMs = 60_000): Promise<void> {
  const first = await vm.waitFor(/\/ # |dialogos> /, { timeoutMs });
  if (first.match === '/ # ') return;
  vm.write('exit\n');
  await vm.waitFor('/ # ', { timeoutMs, from: first.index + first.match.length });
}

/**
 * Runs `command` in the guest shell and returns its exit status and output (console noise included when
 * the kernel prints meanwhile).
 * @throws VmTimeoutError / VmExitedError when the end marker does not come
 */
export async function sh(vm: VmHandle, command: string, timeoutMs = 120_000): Promise<{ status: number; output: string }> {
  const n = serial++;
  vm.write(`echo @@B$((${n}+0))@@; ${command}; echo @@E$((${n}+0))=$?@@\n`);
  const begin = await vm.waitFor(`@@B${n}@@\n`, { timeoutMs });
  const end = await vm.waitFor(new RegExp(`@@E${n}=(\\d+)@@`), { timeoutMs, from: begin.index + begin.match.length });
  const output = vm.console().slice(begin.index + begin.match.length, end.index);
  return { status: Number(end.groups[0]), output };
}

/** Runs `dialogos <args>` in the guest, parses its --json output. @throws when it exits non-zero */
export async function guestJson<T>(vm: VmHandle, args: string, timeoutMs = 180_000): Promise<T> {
  // stderr (progress lines) goes to a file, so only the JSON is on the console between the markers.
  const r = await sh(vm, `${GUEST_DIALOGOS} ${args} --json 2>/tmp/e2e.err`, timeoutMs);
  if (r.status !== 0) {
    const err = await sh(vm, 'cat /tmp/e2e.err').then((e) => e.output, () => '(stderr unreadable)');
    throw new Error(`"dialogos ${args} --json" in the guest exited ${r.status}:\n${r.output}\n${err}`);
  }
  const start = r.output.indexOf('{');
  return JSON.parse(r.output.slice(start, r.output.lastIndexOf('}') + 1)) as T;
}

/**
 * Powers the guest off cleanly (PID 1 on SIGUSR2: stop all, sync, remount /data read-only), so the host
 * reads a settled data partition; waits for QEMU to exit.
 */
export async function powerOff(vm: VmHandle, timeoutMs = 90_000): Promise<void> {
  vm.write('kill -USR2 1\n');
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The guest did not power off within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([vm.exited, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** The `dialogos: booting generation <id> (<reason>, try <n>)` lines of a console text. */
export function bootLines(text: string): { id: string; reason: string; attempt: number }[] {
  return [...text.matchAll(/dialogos: booting generation (\S+) \((\w+), try (\d+)\)/g)]
    .map((m) => ({ id: m[1]!, reason: m[2]!, attempt: Number(m[3]) }));
}
