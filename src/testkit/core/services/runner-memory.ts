// An in-memory ProcessRunner for controller tests: processes are records driven by the test (or by a
// registered program), with process groups, signals and start times that behave like the kernel's.
import { ProcessSpawnError } from '../../../core/services/errors.js';
import type { ExitInfo, ProcessHandle, ProcessRunner, SpawnRequest, Stream } from '../../../core/services/ports.js';

/** What a program sees of its own process. */
export interface ProgramCtl {
  pid: number;
  req: SpawnRequest;
  print(line: string, stream?: Stream): void;
  exit(code: number): void;
  /** Replaces the default reaction to a catchable signal (which is to die of it). */
  onSignal(handler: (sig: NodeJS.Signals) => void): void;
  /** A further process in the same group (a forked child). */
  fork(): number;
}
export type Program = (ctl: ProgramCtl) => void;

export class MemoryProcess {
  alive = true;
  signals: NodeJS.Signals[] = [];
  handler: ((sig: NodeJS.Signals) => void) | null = null;
  result: ExitInfo | null = null;
  readonly exited: Promise<ExitInfo>;
  private resolveExit!: (e: ExitInfo) => void;
  constructor(readonly pid: number, readonly pgid: number, readonly startTime: string, readonly req: SpawnRequest | null) {
    this.exited = new Promise((r) => { this.resolveExit = r; });
  }
  /** Ends the process with an exit code (no-op once dead). */
  exit(code: number): void {
    this.finish({ code, signal: null });
  }
  /** Ends the process as killed by `signal`. */
  die(signal: NodeJS.Signals): void {
    this.finish({ code: null, signal });
  }
  /** Writes `line` and a newline to the sink, as bytes (what the real runner hands over). */
  print(line: string, stream: Stream = 'stdout'): void {
    if (!this.alive) return;
    this.req?.onOutput?.(stream, Buffer.from(`${line}\n`, 'utf8'));
  }
  deliver(sig: NodeJS.Signals): void {
    if (!this.alive) return;
    this.signals.push(sig);
    if (sig !== 'SIGKILL' && this.handler) this.handler(sig);
    else this.die(sig);
  }
  private finish(e: ExitInfo): void {
    if (!this.alive) return;
    this.alive = false;
    this.result = e;
    this.req?.onOutputEnd?.('stdout');
    this.req?.onOutputEnd?.('stderr');
    this.resolveExit(e);
  }
}

export class MemoryRunner implements ProcessRunner {
  readonly procs: MemoryProcess[] = [];
  /** Spawn requests in order, for asserting start order. */
  readonly spawned: SpawnRequest[] = [];
  private nextPid = 1000;
  private programs = new Map<string, Program>();
  private failures = new Map<string, string>();

  /** Registers the behaviour of `command`; unregistered commands run until signalled. */
  program(command: string, p: Program): void {
    this.programs.set(command, p);
  }
  /** Makes every spawn of `command` fail (as ENOENT would) until cleared with `null`. */
  failSpawn(command: string, message: string | null): void {
    if (message === null) this.failures.delete(command);
    else this.failures.set(command, message);
  }
  /** The newest process of a unit. */
  latest(unit: string): MemoryProcess | undefined {
    return this.procs.filter((p) => p.req?.unit === unit).at(-1);
  }
  alive(unit: string): MemoryProcess[] {
    return this.procs.filter((p) => p.alive && p.req?.unit === unit);
  }

  async spawn(req: SpawnRequest): Promise<ProcessHandle> {
    const failure = this.failures.get(req.command);
    if (failure) throw new ProcessSpawnError(`Cannot start service "${req.unit}": ${req.command}: ${failure}`);
    const pid = this.nextPid++;
    const p = new MemoryProcess(pid, pid, `st${pid}`, req);
    this.procs.push(p);
    this.spawned.push(req);
    const ctl: ProgramCtl = {
      pid, req,
      print: (line, stream) => p.print(line, stream),
      exit: (code) => p.exit(code),
      onSignal: (h) => { p.handler = h; },
      fork: () => {
        const c = new MemoryProcess(this.nextPid++, pid, `st${pid}c`, null);
        this.procs.push(c);
        return c.pid;
      },
    };
    // The program runs after spawn returns, as a real child runs after fork.
    const prog = this.programs.get(req.command);
    if (prog) queueMicrotask(() => prog(ctl));
    return this.handle(p);
  }
  private handle(p: MemoryProcess): ProcessHandle {
    return { pid: p.pid, startTime: p.startTime, exited: p.exited, killGroup: (sig) => this.killGroup(p.pid, sig) };
  }
  async startTime(pid: number): Promise<string | null> {
    const p = this.procs.find((q) => q.pid === pid && q.alive);
    return p ? p.startTime : null;
  }
  async adopt(pid: number, startTime: string): Promise<ProcessHandle | null> {
    const p = this.procs.find((q) => q.pid === pid && q.alive && q.startTime === startTime);
    return p ? this.handle(p) : null;
  }
  async groupMembers(pgid: number): Promise<number[]> {
    return this.procs.filter((p) => p.alive && p.pgid === pgid).map((p) => p.pid);
  }
  killGroup(pgid: number, signal: NodeJS.Signals): void {
    for (const p of this.procs.filter((q) => q.alive && q.pgid === pgid)) p.deliver(signal);
  }
}
