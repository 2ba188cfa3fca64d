// What the controllers of the other spec kinds (mounts, network, time, entropy: kind-*.ts) share. Each
// reconciles its specs and publishes status like a service does. A service manager built without one
// (the in-memory rigs of the tests) reports that kind `unsupported` with the reason and touches nothing.
import type { EntropySpec, MountSpec, NetworkSpec, TimeSpec } from './schema.js';
import type { StatusBoard, UnitState, UnitStatus } from './status.js';

export interface KindSpecs {
  mount: MountSpec[];
  network: NetworkSpec[];
  time: TimeSpec[];
  entropy: EntropySpec[];
}
export type OtherKind = keyof KindSpecs;

/** Reconciles every spec of one kind; called with the whole (validated) list on each apply. */
export interface KindController<K extends OtherKind> {
  kind: K;
  reconcile(specs: KindSpecs[K], board: StatusBoard, now: () => number): Promise<void>;
}

/** A status record of a non-service unit. */
export function kindStatus(kind: OtherKind, name: string, state: UnitState, reason: string, enabled: boolean, now: () => number): UnitStatus {
  return { kind, name, state, reason, enabled, pid: null, since: new Date(now()).toISOString(), restarts: 0, lastExit: null, limits: null };
}

/** Runs jobs one after another; `idle()` resolves once none is queued or running. */
export function serial(): { run(job: () => Promise<void>): void; idle(): Promise<void> } {
  let tail: Promise<void> = Promise.resolve();
  return {
    run(job) { tail = tail.then(job).catch(() => undefined); },
    idle: () => tail,
  };
}

/** The placeholder for a kind without a controller: reports each spec as `unsupported` with `why`, removes status of dropped specs. */
export function unsupportedController<K extends OtherKind>(kind: K, why: string): KindController<K> {
  let known = new Set<string>();
  return {
    kind,
    async reconcile(specs, board, now) {
      const names = new Set(specs.map((s) => s.name));
      for (const n of known) if (!names.has(n)) board.delete(kind, n);
      known = names;
      for (const s of specs) {
        board.set({
          kind, name: s.name, state: 'unsupported', reason: s.enabled ? `not applied: ${why}` : 'disabled',
          enabled: s.enabled, pid: null, since: new Date(now()).toISOString(), restarts: 0, lastExit: null, limits: null,
        });
      }
    },
  };
}

const missing = (kind: OtherKind): string =>
  `no ${kind} controller was given to this service manager (createRealServiceComponents adds one when told where the system is)`;

export const DEFAULT_REASONS: Record<OtherKind, string> = {
  mount: missing('mount'),
  network: missing('network'),
  time: missing('time'),
  entropy: missing('entropy'),
};
