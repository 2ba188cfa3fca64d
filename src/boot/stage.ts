// The boot stage: run by PID 1 in the initramfs, it finds /data, lets the user pick, selects and verifies
// a generation, records the try, and hands over (kexec, or /newroot plus the handover files for PID 1).
// Exit 0 means the handover is ready; non-zero means nothing can be booted (PID 1 retries, then a shell).
import { readBootConfig } from './boot-config.js';
import { chooseGeneration } from './choose.js';
import { parseCmdline } from './cmdline.js';
import { DATA_WAIT_MS, mountData, waitForDataPartition } from './data-partition.js';
import { errorText } from './errors.js';
import { mainArgv, prepareNewRoot, writeHandover } from './handover.js';
import { kexecGeneration } from './kexec.js';
import { runMenu } from './menu.js';
import { loadModules } from './modules.js';
import type { BootPlatform } from './platform.js';
import type { OpenBootStore } from './store.js';

export interface StageDeps {
  platform: BootPlatform;
  openStore: OpenBootStore;
  dataRoot?: string;
}

/**
 * ` (kernel up N.NN s)` from /proc/uptime, or nothing: with `quiet` the kernel prints no lines, so this is
 * how a console log (and bench/boot) tells the kernel's share of a boot from the firmware's.
 */
function kernelUptime(p: StageDeps['platform']): string {
  try {
    const up = Number(p.readFile('/proc/uptime').toString('utf8').split(' ')[0]);
    return Number.isFinite(up) ? ` (kernel up ${up.toFixed(2)} s)` : '';
  } catch {
    return '';
  }
}

/** Seconds per step of the stage, for the one line that says where boot time went. */
function stepTimer(p: StageDeps['platform']): { step(name: string): void; text(): string } {
  const start = p.now();
  let last = start;
  const steps: string[] = [];
  const secs = (ms: number): string => (ms / 1000).toFixed(2);
  return {
    step(name) { const now = p.now(); steps.push(`${name} ${secs(now - last)}`); last = now; },
    text: () => `${secs(last - start)} s (${steps.join(', ')})`,
  };
}

function readCmdline(p: BootPlatform): ReturnType<typeof parseCmdline> {
  let cmdlineText = '';
  try {
    cmdlineText = p.readFile('/proc/cmdline').toString('utf8');
  } catch (err) {
    p.print(`dialogos: cannot read /proc/cmdline: ${errorText(err)}`);
  }
  const cmdline = parseCmdline(cmdlineText);
  for (const w of cmdline.warnings) p.print(w);
  return cmdline;
}

type BootStore = Awaited<ReturnType<OpenBootStore>>;
type BootState = Awaited<ReturnType<BootStore['readState']>>;

/** Waits for the data partition, mounts it and reads the store's state; null (said on the console) when it cannot. */
async function openData(deps: StageDeps, dataRoot: string, waitMs: number): Promise<{ store: BootStore; state: BootState } | null> {
  const p = deps.platform;
  let store: BootStore;
  try {
    const device = await waitForDataPartition(p, waitMs);
    mountData(p, device, dataRoot);
    store = await deps.openStore(dataRoot);
  } catch (err) {
    p.print(`dialogos: cannot boot: ${errorText(err)}`);
    return null;
  }
  try {
    return { store, state: await store.readState() };
  } catch (err) {
    p.print(`dialogos: cannot boot: cannot read the store state: ${errorText(err)}`);
    return null;
  }
}

type Choice = Awaited<ReturnType<typeof chooseGeneration>>;

/** kexec into the generation's own kernel when it has one (does not return), else /newroot and the handover files. */
function handOver(p: BootPlatform, choice: Choice, state: BootState, argv: string[], wantKexec: boolean): number {
  const { generation: gen, decision } = choice;
  if (wantKexec) {
    p.print(`dialogos: loading generation ${gen.id}'s own kernel with kexec`);
    try {
      kexecGeneration(p, gen);
    } catch (err) {
      p.print(`dialogos: ${errorText(err)}; booting it on the base kernel instead`);
    }
  }
  try {
    prepareNewRoot(p, gen);
    // A staged generation is on trial until dialogosd blesses it, also after a kexec that recorded no new try.
    const trial = decision.attempt > 0 || state.generations[gen.id]?.status === 'staged';
    writeHandover(p, { newRoot: '/newroot', generation: gen.id, trial, argv });
  } catch (err) {
    p.print(`dialogos: cannot hand over generation ${gen.id}: ${errorText(err)}`);
    return 1;
  }
  return 0;
}

/** Runs the whole stage; returns the exit code for PID 1. */
export async function runStage(deps: StageDeps): Promise<number> {
  const p = deps.platform;
  const dataRoot = deps.dataRoot ?? '/data';
  const recovery = p.env('DIALOGOS_STAGE_RECOVERY') === '1';
  const times = stepTimer(p);
  p.print(`dialogos: boot stage${kernelUptime(p)}${recovery ? ' (recovery: no menu, no kexec)' : ''}`);
  const cmdline = readCmdline(p);

  const missing = loadModules(p);
  times.step('modules');
  if (missing.length) p.print(`dialogos: modules not loaded (built in or absent): ${missing.join(' ')}`);

  const data = await openData(deps, dataRoot, cmdline.dataWaitMs ?? DATA_WAIT_MS);
  if (!data) return 1;
  const { store, state } = data;
  times.step('data partition');

  const menuMs = cmdline.menuMs ?? readBootConfig(p, `${dataRoot}/dialogos/boot.json`).menuTimeoutMs;
  const menuPick = recovery || cmdline.forcedId ? null : await runMenu(p, state, menuMs);
  times.step('menu');

  let choice;
  try {
    choice = await chooseGeneration(p, store, state, { menuPick, forcedId: cmdline.forcedId });
    times.step('select + verify');
  } catch (err) {
    p.print(`dialogos: nothing bootable: ${errorText(err)}`);
    return 1;
  }
  const { generation: gen, decision } = choice;
  let argv: string[];
  try {
    argv = mainArgv(gen);
  } catch (err) {
    p.print(`dialogos: refusing generation ${gen.id}: ${errorText(err)}`);
    await Promise.resolve(store.markBad(gen.id, errorText(err))).catch(() => undefined);
    return 1;
  }
  const wantKexec = gen.manifest.kernel !== null && cmdline.forcedId === null && !recovery;
  // The try is spent here, before the kexec; after it the policy answers with reason `kexec`, which the
  // store records without spending a second try.
  try {
    await store.recordTry(decision);
  } catch (err) {
    p.print(`dialogos: cannot boot generation ${gen.id}: cannot record the try: ${errorText(err)}`);
    return 1;
  }
  times.step('record try');
  p.print(`dialogos: booting generation ${gen.id} (${decision.reason}, try ${decision.attempt})`);
  p.print(`dialogos: stage took ${times.text()}`);

  return handOver(p, choice, state, argv, wantKexec);
}
