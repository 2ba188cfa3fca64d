// dialogos up: boot this machine in QEMU with the console on your terminal.
//
// SYNOPSIS
//   dialogos up [--image FILE] [--accel auto|kvm|tcg] [--memory MiB] [--fresh]
//
// DESCRIPTION
//   Installs missing Debian packages, builds the image when it is stale (unless --image is given), and boots
//   the persistent machine disk build/machine.img with its own UEFI variables (build/machine-vars.fd). The
//   machine disk is a copy of the image, made when missing or with --fresh; the built image stays pristine.
//   Quit with Ctrl-A X. Exits with QEMU's status.
//
// OPTIONS
//   --image FILE   boot a copy of FILE instead of build/dialogos.img (no build)
//   --accel MODE   auto (default: KVM when a probe boot works, else TCG), kvm, tcg
//   --memory MiB   guest memory (default 512)
//   --fresh        start over: new machine disk from the image and new UEFI variables
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { buildDir, defaultImagePath, ensureImage, ensurePackages, ensureVarsFile, HOST_PACKAGES, resolveAccel, startVm, type AccelChoice } from '../vm/index.js';

export interface UpOptions {
  image?: string;
  accel: AccelChoice;
  memory: number;
  fresh: boolean;
}

const say = (line: string): void => { process.stderr.write(line + '\n'); };

export async function runUp(opts: UpOptions): Promise<number> {
  ensurePackages(HOST_PACKAGES, say);
  const image = opts.image ?? defaultImagePath();
  if (!opts.image) await ensureImage(image, say);
  if (!existsSync(image)) throw new Error(`Cannot boot: image "${image}" does not exist`);
  mkdirSync(buildDir(), { recursive: true });
  const machine = join(buildDir(), 'machine.img');
  const vars = join(buildDir(), 'machine-vars.fd');
  if (opts.fresh || !existsSync(machine)) {
    say(`dialogos: making the machine disk ${machine} from ${image}`);
    execFileSync('cp', ['--sparse=always', image, machine]);
    ensureVarsFile(vars, true);
  } else if (statSync(image).mtimeMs > statSync(machine).mtimeMs) {
    say(`dialogos: note: ${image} is newer than the machine disk; "dialogos up --fresh" starts from it`);
  }
  const accel = await resolveAccel(opts.accel, say);
  // Said before QEMU takes the terminal, so it is not lost in the firmware's screen clearing.
  say(`dialogos: booting ${machine} (${accel.toUpperCase()}, ${opts.memory} MiB); quit with Ctrl-A X`);
  const vm = await startVm({
    disks: [machine], varsFile: ensureVarsFile(vars), accel, memoryMiB: opts.memory, console: 'terminal', net: 'user',
  });
  const exit = await vm.exited;
  return exit.code ?? 1;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('boot the machine in QEMU and attach its console (Ctrl-A X quits)')
    .option('--image <file>', 'boot a copy of this image instead of build/dialogos.img')
    .addOption(new Option('--accel <mode>', 'acceleration').choices(['auto', 'kvm', 'tcg']).default('auto'))
    .option('--memory <MiB>', 'guest memory in MiB', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 128) throw new Error(`Cannot use --memory "${v}": give whole MiB, at least 128`);
      return n;
    }, 512)
    .option('--fresh', 'new machine disk and UEFI variables from the image', false)
    .action(async (o: UpOptions) => {
      process.exitCode = await runUp(o);
    });
}
