// Status is a resource of its own (Talos): one record per unit, replaced on every change and published
// to subscribers, so the API can stream it and anyone can see whether reality converged on the specs.
import type { AppliedLimits } from './ports.js';
import type { SpecKind } from './schema.js';

export type UnitState = 'inactive' | 'starting' | 'ready' | 'running' | 'stopping' | 'failed' | 'crash-loop' | 'unsupported';

export interface LastExit {
  code: number | null;
  signal: string | null;
  /** The kernel's OOM killer ended it (the memory limit was hit). */
  oom: boolean;
  at: string;
}

export interface UnitStatus {
  kind: SpecKind;
  name: string;
  state: UnitState;
  /** Always a sentence saying why the unit is in this state. */
  reason: string;
  enabled: boolean;
  pid: number | null;
  /** When the unit entered `state` (ISO 8601). */
  since: string;
  /** Restarts after failures since the unit was last started by an operator or an apply. */
  restarts: number;
  lastExit: LastExit | null;
  /** What the cgroup layer applied, and what it could not apply and why; null when not running. */
  limits: AppliedLimits | null;
}

export type StatusListener = (s: UnitStatus) => void;

export class StatusBoard {
  private units = new Map<string, UnitStatus>();
  private listeners = new Set<StatusListener>();

  /** Replaces a unit's status and tells every subscriber. */
  set(s: UnitStatus): void {
    const frozen = Object.freeze(structuredClone(s));
    this.units.set(key(s.kind, s.name), frozen);
    for (const l of [...this.listeners]) {
      try {
        l(frozen);
      } catch {
        // A failing subscriber (a closed API stream) must not stop the controllers.
      }
    }
  }
  get(kind: SpecKind, name: string): UnitStatus | undefined {
    return this.units.get(key(kind, name));
  }
  delete(kind: SpecKind, name: string): void {
    this.units.delete(key(kind, name));
  }
  list(): UnitStatus[] {
    return [...this.units.values()].sort((a, b) => key(a.kind, a.name).localeCompare(key(b.kind, b.name)));
  }
  /** Calls `l` on every change until the returned function is called. */
  subscribe(l: StatusListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  /**
   * Every change from now on, as an async iterator, until `signal` aborts (or the consumer breaks).
   * @example for await (const s of board.watch(ac.signal)) send(s)
   */
  async *watch(signal?: AbortSignal): AsyncGenerator<UnitStatus> {
    const queue: UnitStatus[] = [];
    let wake: (() => void) | null = null;
    const off = this.subscribe((s) => { queue.push(s); wake?.(); });
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) { yield next; continue; }
        await new Promise<void>((r) => { wake = r; });
        wake = null;
      }
    } finally {
      off();
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

const key = (kind: SpecKind, name: string): string => `${kind}/${name}`;
