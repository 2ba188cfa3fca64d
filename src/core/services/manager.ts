// The service manager: holds the applied spec set, one controller per service, and the status board.
// Apply is atomic (validate everything, then reconcile); start follows dependency order, stop the
// reverse; a restarted dialogosd adopts what its predecessor left running or cleans it up.
import { UnitNotFoundError } from './errors.js';
import { DEFAULT_REASONS, unsupportedController, type KindController, type KindSpecs, type OtherKind } from './kinds.js';
import type { ProcessHandle } from './ports.js';
import { emptyRunState, stableJson, type RunState, type RunStateStore } from './runstate.js';
import type { ServiceSpec } from './schema.js';
import { StatusBoard, type UnitStatus } from './status.js';
import { ServiceUnit, type ServiceDeps } from './unit.js';
import { dependentsOf, validateSpecs, type RawSpec, type SpecSet } from './validate.js';

export interface ServiceManagerComponents extends Omit<ServiceDeps, 'board' | 'recordPid' | 'gate'> {
  runState: RunStateStore;
  board?: StatusBoard;
  /** Controllers of the other kinds; those missing report `unsupported`. */
  controllers?: { [K in OtherKind]?: KindController<K> };
  /** Persists an enable/disable (e.g. a /data override file); the change holds in memory regardless. */
  persistEnabled?(name: string, enabled: boolean): Promise<void>;
  /** Warnings in words (the journal). */
  warn?(message: string): void;
}

export interface ApplyResult { added: string[]; changed: string[]; removed: string[]; unchanged: string[] }

const READY = new Set(['ready', 'running']);
const SETTLED = new Set(['ready', 'running', 'failed', 'crash-loop', 'unsupported', 'inactive']);
const digest = (s: ServiceSpec): string => stableJson(s);

export function createServiceManager() {
  return (c: ServiceManagerComponents) => new ServiceManager(c);
}

export class ServiceManager {
  readonly board: StatusBoard;
  private units = new Map<string, ServiceUnit>();
  private set: SpecSet = { services: new Map(), mounts: new Map(), startOrder: [] };
  private run: RunState = emptyRunState();
  private saving: Promise<void> = Promise.resolve();
  private kinds: { [K in OtherKind]: KindController<K> };

  constructor(private readonly c: ServiceManagerComponents) {
    this.board = c.board ?? new StatusBoard();
    this.kinds = {
      mount: c.controllers?.mount ?? unsupportedController('mount', DEFAULT_REASONS.mount),
      network: c.controllers?.network ?? unsupportedController('network', DEFAULT_REASONS.network),
      time: c.controllers?.time ?? unsupportedController('time', DEFAULT_REASONS.time),
      entropy: c.controllers?.entropy ?? unsupportedController('entropy', DEFAULT_REASONS.entropy),
    };
  }

  /** The applied spec set. */
  get specs(): SpecSet { return this.set; }
  status(): UnitStatus[] { return this.board.list(); }

  /**
   * First start: adopts processes a previous dialogosd left (same start time, same spec), kills the rest,
   * then starts every enabled service in dependency order.
   */
  async start(set: SpecSet): Promise<void> {
    let previous = emptyRunState();
    try {
      previous = await this.c.runState.load();
    } catch (err) {
      this.c.warn?.(`${(err as Error).message}; starting every service afresh`);
      // Without the record nothing can be adopted; whatever still runs in a service's cgroup goes.
      for (const name of set.services.keys()) await this.c.cgroups.killAll(name);
    }
    this.set = set;
    const adopted = new Map<string, ProcessHandle>();
    for (const [name, rec] of Object.entries(previous.units)) {
      const spec = set.services.get(name);
      const h = await this.c.runner.adopt(rec.pid, rec.startTime);
      if (h && spec?.enabled && rec.specDigest === digest(spec)) { adopted.set(name, h); continue; }
      // Not ours to keep: the spec changed or went away, or the leader died and left its group behind.
      if (h || (await this.c.runner.startTime(rec.pid)) === null) this.c.runner.killGroup(rec.pid, 'SIGKILL');
      if (h) await h.exited;
      await this.c.cgroups.killAll(name);
    }
    for (const name of set.startOrder) this.unit(set.services.get(name)!);
    for (const [name, h] of adopted) this.get(name).start(h);
    // As systemd's Requires=: an enabled service pulls in what it requires, even a disabled one.
    for (const name of set.startOrder) if (this.get(name).spec.enabled) this.startUnit(name);
    await this.reconcileKinds();
  }

  /**
   * Validates the whole set, then reconciles: removed and changed services stop (dependents first),
   * changed and new ones start. Running services whose spec did not change are not touched.
   * @throws SpecValidationError before anything is changed
   */
  async apply(input: RawSpec[] | SpecSet): Promise<ApplyResult> {
    const next = Array.isArray(input) ? validateSpecs(input) : input;
    const prev = this.set;
    const r: ApplyResult = { added: [], changed: [], removed: [], unchanged: [] };
    for (const name of prev.services.keys()) if (!next.services.has(name)) r.removed.push(name);
    for (const [name, spec] of next.services) {
      const old = prev.services.get(name);
      if (!old) r.added.push(name);
      else if (digest(old) !== digest(spec)) r.changed.push(name);
      else r.unchanged.push(name);
    }
    const toStop = new Set([...r.removed, ...r.changed]);
    for (const name of [...prev.startOrder].reverse()) {
      if (!toStop.has(name)) continue;
      await this.units.get(name)?.stop(r.removed.includes(name) ? 'removed from the specs' : 'stopped to apply a changed spec');
    }
    for (const name of r.removed) {
      this.units.delete(name);
      this.board.delete('service', name);
    }
    this.set = next;
    for (const name of next.startOrder) {
      const spec = next.services.get(name)!;
      const u = this.unit(spec);
      u.spec = spec;
      u.setEnabled(spec.enabled);
      if (!spec.enabled) await u.stop('disabled');
      else if (!u.running && (r.added.includes(name) || r.changed.includes(name))) this.startUnit(name);
    }
    await this.reconcileKinds();
    return r;
  }

  /** Starts a service and (first) what it requires. @throws UnitNotFoundError */
  startUnit(name: string): void {
    const u = this.get(name);
    for (const dep of u.spec.requires) if (!this.get(dep).running) this.startUnit(dep);
    u.start();
  }

  /** Stops a service after the services that depend on it, in reverse order. @throws UnitNotFoundError */
  async stopUnit(name: string, reason = 'stopped by request'): Promise<void> {
    this.get(name);
    const deps = dependentsOf(this.set.services, name);
    for (const n of [...this.set.startOrder].reverse()) {
      if (deps.has(n) && this.units.get(n)?.running) await this.units.get(n)!.stop(`stopped because "${name}" it depends on was stopped`);
    }
    await this.get(name).stop(reason);
  }

  async restartUnit(name: string): Promise<void> {
    await this.get(name).stop('restarting by request');
    this.startUnit(name);
  }

  async enable(name: string): Promise<void> {
    this.get(name).setEnabled(true);
    this.patchSpec(name, true);
    await this.c.persistEnabled?.(name, true);
    this.startUnit(name);
  }

  async disable(name: string): Promise<void> {
    this.get(name).setEnabled(false);
    this.patchSpec(name, false);
    await this.c.persistEnabled?.(name, false);
    await this.stopUnit(name, 'disabled');
  }

  /** Resolves once the unit leaves starting/stopping (ready, running, failed, crash-loop, inactive). */
  settled(name: string, signal?: AbortSignal): Promise<UnitStatus> {
    this.get(name);
    return new Promise((resolve) => {
      const check = (s: UnitStatus | undefined): boolean => {
        if (!s || s.kind !== 'service' || s.name !== name || !SETTLED.has(s.state)) return false;
        if (s.state === 'inactive' && this.units.get(name)?.running) return false;
        off();
        resolve(s);
        return true;
      };
      const off = this.board.subscribe(check);
      signal?.addEventListener('abort', () => { off(); resolve(this.board.get('service', name)!); }, { once: true });
      check(this.board.get('service', name));
    });
  }

  /** Stops every service, dependents before their dependencies. */
  async stop(): Promise<void> {
    for (const name of [...this.set.startOrder].reverse()) await this.units.get(name)?.stop('dialogosd is stopping');
    await this.saving;
  }

  private get(name: string): ServiceUnit {
    const u = this.units.get(name);
    if (!u) throw new UnitNotFoundError(`Cannot find service "${name}": no such unit (known: ${[...this.units.keys()].sort().join(', ') || 'none'})`);
    return u;
  }

  private patchSpec(name: string, enabled: boolean): void {
    const spec = this.set.services.get(name);
    if (spec) this.set.services.set(name, { ...spec, enabled });
  }

  private unit(spec: ServiceSpec): ServiceUnit {
    let u = this.units.get(spec.name);
    if (!u) {
      u = new ServiceUnit(spec, {
        ...this.c, board: this.board,
        recordPid: (n, rec) => this.record(n, rec),
        gate: (s, signal, report) => this.gate(s, signal, report),
      });
      this.units.set(spec.name, u);
    }
    return u;
  }

  private record(name: string, rec: { pid: number; startTime: string } | null): void {
    const spec = this.set.services.get(name);
    if (rec && spec) this.run.units[name] = { ...rec, specDigest: digest(spec) };
    else delete this.run.units[name];
    const snapshot = structuredClone(this.run);
    this.saving = this.saving.then(() => this.c.runState.save(snapshot)).catch((err: Error) => this.c.warn?.(`Cannot save the run state: ${err.message}`));
  }

  /** Waits until every `requires` is ready and every `after` that is starting has settled. */
  private async gate(spec: ServiceSpec, signal: AbortSignal, report: (why: string) => void): Promise<void> {
    const blocker = (): string | null => {
      for (const dep of spec.requires) {
        const s = this.board.get('service', dep);
        if (!s || !READY.has(s.state)) return `waiting for required service "${dep}" (${s ? `${s.state}: ${s.reason}` : 'unknown'})`;
      }
      for (const dep of spec.after) {
        const s = this.board.get('service', dep);
        if (this.units.get(dep)?.running && s && !READY.has(s.state)) return `waiting for "${dep}" to start first (${s.state})`;
      }
      return null;
    };
    let last = '';
    while (!signal.aborted) {
      const b = blocker();
      if (b === null) return;
      if (b !== last) report((last = b));
      await new Promise<void>((resolve) => {
        const done = (): void => { off(); signal.removeEventListener('abort', done); resolve(); };
        const off = this.board.subscribe((s) => { if (s.name !== spec.name) done(); });
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  private async reconcileKinds(): Promise<void> {
    const now = (): number => this.c.clock.now();
    const lists: KindSpecs = {
      mount: [...this.set.mounts.values()],
      network: this.set.network ? [this.set.network] : [],
      time: this.set.time ? [this.set.time] : [],
      entropy: this.set.entropy ? [this.set.entropy] : [],
    };
    await this.kinds.mount.reconcile(lists.mount, this.board, now);
    await this.kinds.network.reconcile(lists.network, this.board, now);
    await this.kinds.time.reconcile(lists.time, this.board, now);
    await this.kinds.entropy.reconcile(lists.entropy, this.board, now);
  }
}
