// The controller of one service: start (after its dependencies allow), watch readiness and health,
// restart under its policy with exponential backoff, stop a crash loop, stop cleanly on request.
// Every transition is published on the status board with the reason.
import { backoffDelay, exitVerdict, isCrashLoop, recentRestarts } from './backoff.js';
import type { Cgroups, Clock, ExitInfo, OutputSink, ProcessHandle, ProcessRunner, Probes, Spawner, Stream } from './ports.js';
import { cpuMax } from './ports.js';
import { waitReady } from './readiness.js';
import type { ServiceSpec } from './schema.js';
import type { LastExit, StatusBoard, UnitState, UnitStatus } from './status.js';
import { textLines } from './text-lines.js';
import type { UserResolver } from './users.js';

export interface ServiceDeps {
  runner: ProcessRunner;
  cgroups: Cgroups;
  clock: Clock;
  probes: Probes;
  spawner: Spawner;
  users: UserResolver;
  /** Switching users needs root; without it only the own uid is allowed. */
  uid: number;
  baseEnv: Record<string, string>;
  board: StatusBoard;
  /** A sink for one process's stream (the journal); called once per stream per spawn. */
  output?(unit: string, stream: Stream): OutputSink;
  /** Called with the running process (or null) so the manager can record it for adoption. */
  recordPid(unit: string, rec: { pid: number; startTime: string } | null): void;
  /** Resolves once the unit's dependencies allow it to start (or when `signal` aborts). */
  gate(spec: ServiceSpec, signal: AbortSignal, report: (reason: string) => void): Promise<void>;
}

const whenAborted = (signal: AbortSignal): Promise<null> =>
  new Promise((r) => (signal.aborted ? r(null) : signal.addEventListener('abort', () => r(null), { once: true })));
const secs = (ms: number): string => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));
export const exitText = (e: ExitInfo): string =>
  e.signal ? `killed by ${e.signal}` : e.code === null ? 'exited (status unknown: adopted process)' : `exited with code ${e.code}${e.code === 127 ? ' (command not found)' : ''}`;

export class ServiceUnit {
  private run: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private lines = new Set<(line: string) => void>();
  /** Output lines of the current process while its readiness is pending (at most 1000), for late listeners. */
  private early: string[] = [];
  private readinessPending = false;
  private status: UnitStatus;

  constructor(public spec: ServiceSpec, private readonly d: ServiceDeps) {
    this.status = d.board.get('service', spec.name) ?? {
      kind: 'service', name: spec.name, state: 'inactive', reason: spec.enabled ? 'not started yet' : 'disabled',
      enabled: spec.enabled, pid: null, since: this.iso(), restarts: 0, lastExit: null, limits: null,
    };
    this.publish({ enabled: spec.enabled });
  }

  get name(): string { return this.spec.name; }
  get running(): boolean { return this.run !== null; }
  get state(): UnitState { return this.status.state; }

  /** Starts the unit's loop unless it runs; `adopted` is a process left by a previous dialogosd. */
  start(adopted?: ProcessHandle): void {
    if (this.run) return;
    const ac = new AbortController();
    this.abort = ac;
    this.publish({ restarts: 0 });
    this.run = this.loop(ac.signal, adopted).finally(() => {
      if (this.abort === ac) { this.run = null; this.abort = null; }
    });
  }

  /** Stops the unit (SIGTERM to its group, SIGKILL after stopTimeoutMs) and resolves once it is down. */
  async stop(reason = 'stopped'): Promise<void> {
    const run = this.run;
    if (!run) {
      if (this.status.state !== 'inactive' || this.status.reason !== reason) this.set('inactive', reason);
      return;
    }
    this.stopReason = reason;
    this.abort?.abort();
    await run;
  }
  private stopReason = 'stopped';

  setEnabled(enabled: boolean): void {
    this.spec = { ...this.spec, enabled };
    this.publish({ enabled });
  }

  private iso(): string { return new Date(this.d.clock.now()).toISOString(); }
  private publish(patch: Partial<UnitStatus>): void {
    const next = { ...this.status, ...patch };
    // Watchers get changes, not repeats.
    if (this.d.board.get('service', this.spec.name) && JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.d.board.set(this.status);
  }
  private set(state: UnitState, reason: string, patch: Partial<UnitStatus> = {}): void {
    const since = state === this.status.state ? this.status.since : this.iso();
    this.publish({ state, reason, since, ...patch });
  }

  private async loop(signal: AbortSignal, adopted?: ProcessHandle): Promise<void> {
    try {
      await this.supervise(signal, adopted);
    } finally {
      await this.removeGroup();
    }
  }

  /** Nothing runs in the group any more, but SIGKILLed members take a moment to leave it. */
  private async removeGroup(): Promise<void> {
    const name = this.spec.name;
    for (let i = 0; i < 100; i++) {
      if ((await this.d.cgroups.procs(name)).length === 0) break;
      await this.d.cgroups.killAll(name);
      await this.d.clock.sleep(20);
    }
    await this.d.cgroups.remove(name).catch(() => undefined);
  }

  private async supervise(signal: AbortSignal, adopted?: ProcessHandle): Promise<void> {
    const restartTimes: number[] = [];
    let attempt = 0;
    let restarts = 0;
    for (let first = true; !signal.aborted; first = false) {
      if (!(first && adopted)) await this.d.gate(this.spec, signal, (why) => this.set(first ? 'inactive' : 'starting', why));
      if (signal.aborted) break;
      const startedAt = this.d.clock.now();
      const result = await this.once(signal, first ? adopted : undefined);
      if (signal.aborted) break;
      // A spawn failure (missing command, bad user) counts as a failure: backed off and loop-checked like a crash.
      const spec = this.spec;
      const verdict = result.kind === 'failed-to-start' ? exitVerdict(spec.restart.policy, false) : exitVerdict(spec.restart.policy, result.clean);
      if (verdict === 'done') return this.set('inactive', `${result.reason}; not restarted (restart policy "${spec.restart.policy}")`, { pid: null });
      if (verdict === 'failed') return this.set('failed', `${result.reason}; not restarted (restart policy "never")`, { pid: null });
      const now = this.d.clock.now();
      if (now - startedAt >= spec.restart.crashLoop.withinMs) attempt = 0;
      if (isCrashLoop(restartTimes, now, spec.restart.crashLoop)) {
        const recent = recentRestarts(restartTimes, now, spec.restart.crashLoop.withinMs);
        const span = recent.length ? now - recent[0]! : 0;
        return this.set('crash-loop', `failed: crash loop (${recent.length} restarts in ${secs(span)} s); last: ${result.reason}; not restarting until started again`, { pid: null });
      }
      attempt++;
      restarts++;
      restartTimes.push(now);
      const delay = backoffDelay(spec.restart.backoff, attempt);
      this.set('starting', `${result.reason}; restarting in ${delay} ms (restart ${restarts}, policy "${spec.restart.policy}")`, { pid: null, restarts });
      await this.d.clock.sleep(delay, signal);
    }
    this.set('inactive', this.stopReason, { pid: null });
  }

  /** One run of the process: spawn (or adopt), readiness, health, exit or stop. */
  private async once(signal: AbortSignal, adopted?: ProcessHandle): Promise<{ kind: 'exit'; clean: boolean; reason: string } | { kind: 'failed-to-start'; reason: string }> {
    const spec = this.spec;
    let limits = this.status.limits;
    let handle: ProcessHandle;
    const oomBefore = await this.d.cgroups.oomKills(spec.name);
    if (adopted) {
      handle = adopted;
      this.set('running', `adopted pid ${handle.pid} left running by the previous dialogosd`, { pid: handle.pid });
    } else {
      this.set('starting', 'starting', { pid: null });
      try {
        const who = await this.identity(spec);
        const cg = await this.d.cgroups.create(spec.name, { cpuMax: cpuMax(spec.limits.cpu), memoryBytes: spec.limits.memoryBytes, pids: spec.limits.pids });
        limits = cg.limits;
        handle = await this.d.runner.spawn({
          unit: spec.name, command: spec.command, args: spec.args, env: { ...who.env, ...this.d.baseEnv, ...spec.env },
          cwd: spec.workingDirectory, ...who.ids, cgroupProcs: cg.procs,
          ...this.outputs(spec.name),
        });
      } catch (err) {
        return { kind: 'failed-to-start', reason: `cannot start: ${(err as Error).message}` };
      }
      // The wrapper already joined the group; this covers runners that cannot (and is harmless twice).
      await this.d.cgroups.attach(spec.name, handle.pid).catch(() => undefined);
      this.set('starting', `started pid ${handle.pid}, waiting for readiness`, { pid: handle.pid, limits });
    }
    this.d.recordPid(spec.name, { pid: handle.pid, startTime: handle.startTime });
    const run = new AbortController();
    const stopRun = (): void => run.abort();
    signal.addEventListener('abort', stopRun, { once: true });
    // A stop that came while the process was being spawned must not wait out the readiness timeout.
    if (signal.aborted) run.abort();
    let killReason: string | null = null;
    void handle.exited.then(stopRun);
    if (!adopted) {
      // Lines printed before the check listens (the child may be quicker than us) are replayed to it.
      const r = await waitReady(spec.readiness, { ...this.d, onLine: (l) => { for (const x of this.early) l(x); this.lines.add(l); return () => this.lines.delete(l); } }, run.signal);
      this.readinessPending = false;
      this.early = [];
      if (r.ready) this.set(spec.readiness.kind === 'none' ? 'running' : 'ready', r.reason);
      else if (!run.signal.aborted) {
        killReason = r.reason;
        handle.killGroup('SIGKILL');
      }
    }
    if (!killReason && spec.health) void this.health(spec, handle, run.signal, (why) => { killReason = why; handle.killGroup('SIGKILL'); });
    const exit = await Promise.race([handle.exited, whenAborted(signal)]);
    const final = exit ?? (await this.terminate(handle, spec));
    signal.removeEventListener('abort', stopRun);
    run.abort();
    // Whatever the main process left in its group or cgroup goes with it.
    handle.killGroup('SIGKILL');
    await this.d.cgroups.killAll(spec.name);
    const oom = (await this.d.cgroups.oomKills(spec.name)) > oomBefore;
    const lastExit: LastExit = { code: final.code, signal: final.signal, oom, at: this.iso() };
    this.d.recordPid(spec.name, null);
    this.publish({ lastExit, pid: null });
    const what = oom ? `killed by the OOM killer (memory limit ${spec.limits.memoryBytes ?? '?'} bytes)` : exitText(final);
    return { kind: 'exit', clean: !killReason && !oom && final.code === 0, reason: killReason ? `${killReason}; ${what}` : what };
  }

  private async terminate(handle: ProcessHandle, spec: ServiceSpec): Promise<ExitInfo> {
    this.set('stopping', `stopping pid ${handle.pid}: SIGTERM, SIGKILL after ${spec.stopTimeoutMs} ms`);
    handle.killGroup('SIGTERM');
    const t = new AbortController();
    const exit = await Promise.race([handle.exited, this.d.clock.sleep(spec.stopTimeoutMs, t.signal).then(() => null)]);
    t.abort();
    if (exit) return exit;
    handle.killGroup('SIGKILL');
    await this.d.cgroups.killAll(spec.name);
    return handle.exited;
  }

  private async health(spec: ServiceSpec, handle: ProcessHandle, signal: AbortSignal, fail: (why: string) => void): Promise<void> {
    const h = spec.health!;
    let failures = 0;
    while (!signal.aborted) {
      await this.d.clock.sleep(h.intervalMs, signal);
      if (signal.aborted) return;
      const r = await this.d.spawner.run(h.command, h.timeoutMs, signal);
      if (signal.aborted) return;
      const ok = r.kind === 'exit' && r.code === 0;
      failures = ok ? 0 : failures + 1;
      if (failures >= h.failures) return fail(`health check "${h.command.join(' ')}" failed ${failures} times in a row (last: ${r.kind === 'exit' ? `code ${r.code}` : r.kind})`);
    }
    void handle;
  }

  /**
   * Who the process runs as, and the HOME, USER and LOGNAME systemd would give it: from the passwd entry of
   * the spec's user, or of dialogosd's own uid. Without an entry (the booted system has no passwd file)
   * HOME is "/", as runtimes such as node-llama-cpp fail without one.
   */
  private async identity(spec: ServiceSpec): Promise<{ ids: { uid?: number; gid?: number }; env: Record<string, string> }> {
    const entry = spec.user === undefined ? await this.d.users(this.d.uid).catch(() => null) : await this.d.users(spec.user);
    const env: Record<string, string> = { HOME: entry?.home ?? '/', ...(entry?.name ? { USER: entry.name, LOGNAME: entry.name } : {}) };
    if (spec.user === undefined || entry!.uid === this.d.uid) return { ids: {}, env };
    if (this.d.uid === 0) return { ids: { uid: entry!.uid, gid: entry!.gid }, env };
    throw new Error(`cannot run as user "${spec.user}": dialogosd runs as uid ${this.d.uid}, not root`);
  }

  /** The output callbacks of one spawn: exact bytes to the journal, text lines to readiness checks. */
  private outputs(unit: string): { onOutput(stream: Stream, chunk: Uint8Array): void; onOutputEnd(stream: Stream): void } {
    const sinks = new Map<Stream, OutputSink | undefined>();
    const sink = (s: Stream): OutputSink | undefined => {
      if (!sinks.has(s)) sinks.set(s, this.d.output?.(unit, s));
      return sinks.get(s);
    };
    this.early = [];
    this.readinessPending = true;
    const text = textLines((line) => {
      if (this.early.length < 1000) this.early.push(line);
      for (const l of this.lines) l(line);
    });
    return {
      onOutput: (s, chunk) => {
        sink(s)?.write(chunk);
        // Text lines only matter to a readiness check; decoding stops once it is decided.
        if (this.readinessPending) text.push(s, chunk);
      },
      onOutputEnd: (s) => {
        sink(s)?.end();
        text.end(s);
      },
    };
  }
}
