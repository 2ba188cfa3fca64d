// Spawns QEMU from a resolved LaunchSpec and wraps it in a VmHandle: console watcher, serial input, power
// cut, ACPI power-off over QMP, and a registry that kills every QEMU this process started when it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuArgs, type Accel, type LaunchSpec } from './args.js';
import { ConsoleLog, type ConsoleLine, type ConsoleMatch, type WaitOptions } from './console.js';
import { VmStartError } from './errors.js';
import { QEMU } from './paths.js';

export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface VmHandle {
  readonly pid: number;
  readonly accel: Accel;
  /** The full QEMU command line, for logs and bug reports. */
  readonly argv: string[];
  /** performance.now() just before QEMU was spawned: console timestamps count from here. */
  readonly startedAt: number;
  /** The console log mirror (capture mode), or undefined. */
  readonly logFile: string | undefined;
  /** Resolves when QEMU exits (never rejects). */
  readonly exited: Promise<VmExit>;
  /** See ConsoleLog.waitFor: resolves on the marker, rejects with VmTimeoutError or VmExitedError. */
  waitFor(marker: string | RegExp, opts?: WaitOptions): Promise<ConsoleMatch>;
  /** Console text so far (escape sequences stripped). */
  console(): string;
  /** Console lines with their ms offsets from QEMU start. */
  lines(): ConsoleLine[];
  /** QEMU's own stderr so far. */
  stderr(): string;
  /** Types on the serial console. */
  write(text: string): void;
  /** Power cut: SIGKILL to QEMU, resolves once it is gone. */
  kill(): Promise<VmExit>;
  /** ACPI power button; after `timeoutMs` (default 60 s) QEMU is told to quit, then killed. */
  powerOff(timeoutMs?: number): Promise<VmExit>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** No stray QEMU: whatever way this process ends, the VMs it started end with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const child of live) child.kill('SIGKILL');
      process.kill(process.pid, sig);
    });
  }
}

/** Number of QEMU processes this Node process started that are still running (tests assert 0). */
export function liveVmCount(): number {
  return live.size;
}

function qmpCommand(socket: string, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let buf = '';
    let sent = false;
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => {
      buf += d;
      // Greeting first, then capabilities negotiation, then the command.
      if (!sent && buf.includes('"QMP"')) {
        sent = true;
        conn.write('{"execute":"qmp_capabilities"}\n' + JSON.stringify({ execute: command }) + '\n');
      } else if (sent && (buf.match(/"return"/g) ?? []).length >= 2) {
        conn.end();
        resolve();
      }
    });
    conn.on('error', reject);
    conn.on('close', () => resolve());
  });
}

export function launch(spec: LaunchSpec, opts: { logFile?: string; qemu?: string } = {}): VmHandle {
  installExitHook();
  const work = mkdtempSync(join(tmpdir(), 'dialogos-vm-'));
  const qmpSocket = join(work, 'qmp.sock');
  const argv = qemuArgs({ ...spec, qmpSocket });
  const terminal = spec.console === 'terminal';
  const startedAt = performance.now();
  const child = spawn(opts.qemu ?? QEMU, argv, { stdio: terminal ? 'inherit' : ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  const log = new ConsoleLog(startedAt, terminal ? undefined : opts.logFile);
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => log.append(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdin?.on('error', () => { /* QEMU gone: writes after exit are dropped */ });
  const exited = new Promise<VmExit>((resolve) => {
    child.on('error', (err) => {
      stderr += `${err.message}\n`;
      live.delete(child);
      log.end(`QEMU could not start: ${err.message}`);
      resolve({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      const how = signal ? `signal ${signal}` : `status ${code}`;
      // Let the last console bytes drain before failing waiters.
      setImmediate(() => {
        log.end(`QEMU exited with ${how}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
        rmSync(work, { recursive: true, force: true });
        resolve({ code, signal });
      });
    });
  });
  const handle: VmHandle = {
    pid: child.pid ?? -1,
    accel: spec.accel,
    argv: [opts.qemu ?? QEMU, ...argv],
    startedAt,
    logFile: terminal ? undefined : opts.logFile,
    exited,
    waitFor: (marker, o) => log.waitFor(marker, o),
    console: () => log.all(),
    lines: () => log.lines(),
    stderr: () => stderr,
    write: (text) => {
      if (!child.stdin) throw new VmStartError('Cannot write to the console: it is attached to the terminal');
      child.stdin.write(text);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
    powerOff: async (timeoutMs = 60_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      await qmpCommand(qmpSocket, 'system_powerdown').catch(() => undefined);
      const timer = setTimeout(() => {
        qmpCommand(qmpSocket, 'quit').catch(() => undefined).finally(() => {
          setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
        });
      }, timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  return handle;
}
