// Boot benchmark: boots the Dialogos image and two references N times each, interleaved, with the same
// QEMU settings (q35, OVMF, systemd-boot, UKI, same accel and memory, snapshot disks), and reports per-stage
// times from console markers. Usage: bench/boot/run.sh [--runs N] [--image FILE] [--memory MiB]
//   [--accel auto|kvm|tcg] [--only floor,debian,dialogos] [--out build/bench/boot.json] [--cold]
// The Dialogos image is booted once, untimed, into a copy first (its first boot makes the machine's key and
// blesses the initial generation); the timed runs boot snapshots of that copy, as a user's machine boots
// every day after. --cold times first boots of the pristine image instead. The Debian tree already has its
// machine-id, so its boots are steady-state too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveAccel, type AccelChoice } from '../accel.js';
import type { Accel } from '../args.js';
import { ensurePackages } from '../deps.js';
import { defaultImagePath, ensureImage } from '../inputs.js';
import { BENCH_PACKAGES, HOST_PACKAGES } from '../packages.js';
import { buildDir, cacheDir } from '../paths.js';
import { startVm } from '../qemu.js';
import { debianDisk, floorDisk } from './references.js';
import { median, stageTimes, SYSTEMS, withDerivedKernelStart, type StageTimes } from './stages.js';

type System = keyof typeof SYSTEMS;
interface Run { stages: StageTimes; totalMs: number | null; error?: string }

const say = (l: string): void => { process.stderr.write(l + '\n'); };
const BOOT_LIMIT_MS = 300_000;

async function bootOnce(system: System, disk: string, accel: Accel, memoryMiB: number, logFile: string): Promise<Run> {
  const defs = SYSTEMS[system];
  const vm = await startVm({ disks: [disk], snapshot: true, accel, memoryMiB, noReboot: true, logFile });
  try {
    await vm.waitFor(defs[defs.length - 1]!.marker, { timeoutMs: BOOT_LIMIT_MS });
    return stageTimes(withDerivedKernelStart(vm.lines()), defs);
  } catch (err) {
    return { ...stageTimes(withDerivedKernelStart(vm.lines()), defs), error: (err as Error).message.split('\n')[0]! };
  } finally {
    await vm.kill();
  }
}

async function dialogosDisk(image: string | undefined): Promise<string | undefined> {
  const path = image ?? defaultImagePath();
  if (!image) {
    try { await ensureImage(path, say); } catch (err) { say(`bench: ${(err as Error).message}`); }
  }
  if (existsSync(path)) return path;
  say(`bench: no Dialogos image at "${path}": measuring the references only`);
  return undefined;
}

/** Boots a copy of `disk` once to `ready` (untimed) and returns the copy. */
async function warmCopy(disk: string, accel: Accel, memoryMiB: number, dir: string): Promise<string> {
  const copy = join(dir, 'dialogos-warm.img');
  execFileSync('cp', ['--sparse=always', disk, copy]);
  say('bench: warm-up boot of the Dialogos image (untimed: first boot makes keys, blesses)');
  const vm = await startVm({ disks: [copy], accel, memoryMiB, noReboot: true, logFile: join(dir, 'logs', 'dialogos-warmup.log') });
  try {
    await vm.waitFor(SYSTEMS.dialogos[SYSTEMS.dialogos.length - 1]!.marker, { timeoutMs: BOOT_LIMIT_MS });
  } finally {
    await vm.powerOff(20_000);
  }
  return copy;
}

function fmt(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : (ms / 1000).toFixed(2);
}

type Summary = Record<string, { stages: Record<string, number | null>; totalMs: number | null }>;
type Ratios = { dialogosOverDebian: number | null; dialogosOverFloor: number | null };

/** Median stage and total times per system, and Dialogos's ratios against the references. */
function summarize(results: Partial<Record<System, Run[]>>): { summary: Summary; ratios: Ratios } {
  const summary: Summary = {};
  for (const [system, list] of Object.entries(results) as Array<[System, Run[]]>) {
    const stages: Record<string, number | null> = {};
    for (const def of SYSTEMS[system]) {
      stages[def.name] = median(list.map((r) => r.stages[def.name]).filter((v): v is number => typeof v === 'number'));
    }
    summary[system] = { stages, totalMs: median(list.map((r) => r.totalMs).filter((v): v is number => v !== null)) };
  }
  const ratio = (a?: number | null, b?: number | null): number | null => (a && b ? Math.round((a / b) * 100) / 100 : null);
  const ratios = {
    dialogosOverDebian: ratio(summary.dialogos?.totalMs, summary.debian?.totalMs),
    dialogosOverFloor: ratio(summary.dialogos?.totalMs, summary.floor?.totalMs),
  };
  return { summary, ratios };
}

function printTable(summary: Summary, ratios: Ratios, runs: number, accel: string, memoryMiB: number): void {
  const stageNames = [...new Set(Object.values(SYSTEMS).flat().map((d) => d.name))];
  console.log(`boot times in seconds, median of ${runs} (accel ${accel}, ${memoryMiB} MiB, OVMF + systemd-boot + UKI)`);
  console.log(['system', ...stageNames, 'total'].map((s) => s.padEnd(14)).join(''));
  for (const [system, s] of Object.entries(summary)) {
    console.log([system, ...stageNames.map((n) => (n in s.stages ? fmt(s.stages[n]) : '')), fmt(s.totalMs)].map((c) => c.padEnd(14)).join(''));
  }
  console.log(`Dialogos/Debian: ${ratios.dialogosOverDebian ?? 'n/a'}   Dialogos/floor: ${ratios.dialogosOverFloor ?? 'n/a'}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: {
    runs: { type: 'string', default: '3' }, image: { type: 'string' }, memory: { type: 'string', default: '512' },
    accel: { type: 'string', default: 'auto' }, only: { type: 'string', default: 'floor,debian,dialogos' },
    out: { type: 'string', default: join(buildDir(), 'bench', 'boot.json') },
    cold: { type: 'boolean', default: false },
  } });
  ensurePackages([...HOST_PACKAGES, ...BENCH_PACKAGES], say);
  const runs = Number(values.runs);
  const memoryMiB = Number(values.memory);
  const accel = await resolveAccel(values.accel as AccelChoice, say);
  const only = new Set(values.only.split(','));
  const benchCache = join(cacheDir(), 'bench');
  const disks: Partial<Record<System, string>> = {};
  if (only.has('floor')) disks.floor = floorDisk(benchCache, say);
  if (only.has('debian')) disks.debian = debianDisk(benchCache, say);
  if (only.has('dialogos')) {
    const d = await dialogosDisk(values.image);
    if (d) disks.dialogos = d;
  }
  const logDir = join(buildDir(), 'bench', 'logs');
  mkdirSync(logDir, { recursive: true });
  if (disks.dialogos && !values.cold) disks.dialogos = await warmCopy(disks.dialogos, accel, memoryMiB, join(buildDir(), 'bench'));
  const results: Partial<Record<System, Run[]>> = {};
  for (let i = 1; i <= runs; i++) {
    for (const system of Object.keys(disks) as System[]) {
      say(`bench: run ${i}/${runs}: ${system}`);
      const r = await bootOnce(system, disks[system]!, accel, memoryMiB, join(logDir, `${system}-${i}.log`));
      if (r.error) say(`bench: ${system} run ${i} failed: ${r.error}`);
      (results[system] ??= []).push(r);
    }
  }
  const { summary, ratios } = summarize(results);
  printTable(summary, ratios, runs, accel, memoryMiB);
  const json = {
    date: new Date().toISOString(), host: hostname(), cpus: cpus().length, accel, memoryMiB, runs, coldDialogos: values.cold,
    stageMeaning: Object.fromEntries(Object.entries(SYSTEMS).map(([k, defs]) => [k, Object.fromEntries(defs.map((d) => [d.name, d.means]))])),
    disks, results, median: summary, ratios,
  };
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, JSON.stringify(json, null, 2) + '\n');
  say(`bench: results in ${values.out}, console logs in ${logDir}`);
  return Object.values(results).flat().some((r) => r.error) ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err: Error) => { say(`bench: ${err.message}`); process.exitCode = 1; });
