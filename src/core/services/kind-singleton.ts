// The life cycle the machine-wide kinds (network, time) share: one spec at most; a disabled spec keeps what
// was done; each new or changed spec is applied once in the background, one job at a time; the outcome is
// `running` with what was done, or `failed` naming each part that did not work (the next apply retries).
import { type KindController, type KindSpecs, kindStatus, serial } from './kinds.js';

type SingletonKind = 'network' | 'time';

/** What one application of a spec did: parts done, and parts failed with their reasons. */
export interface Outcome { done: string[]; failed: string[] }

export interface SingletonOptions<K extends SingletonKind> {
  kind: K;
  /** The reason shown while disabled. */
  disabledReason: string;
  /** The reason shown while a spec is being applied. */
  applyingReason: string;
  /** The reason shown when it ran and there was nothing to do. */
  nothingDone: string;
  /** Set when this instance must not touch the machine (host mode): state `unsupported`. */
  unsupported?: string;
  apply(spec: KindSpecs[K][number], out: Outcome): Promise<void>;
}

/** A controller of a machine-wide kind; `idle()` resolves once the queued application has finished. */
export function singletonController<K extends SingletonKind>(o: SingletonOptions<K>): KindController<K> & { idle(): Promise<void> } {
  const jobs = serial();
  let applied: string | null = null;
  let known = false;
  return {
    kind: o.kind,
    idle: () => jobs.idle(),
    async reconcile(specs, board, now) {
      const spec = specs[0];
      if (!spec) {
        if (known) board.delete(o.kind, o.kind);
        known = false;
        applied = null;
        return;
      }
      known = true;
      if (!spec.enabled) {
        applied = null;
        board.set(kindStatus(o.kind, spec.name, 'inactive', o.disabledReason, false, now));
        return;
      }
      if (o.unsupported) {
        board.set(kindStatus(o.kind, spec.name, 'unsupported', `not applied: ${o.unsupported}`, true, now));
        return;
      }
      const digest = JSON.stringify(spec);
      if (applied === digest) return;
      applied = digest;
      board.set(kindStatus(o.kind, spec.name, 'starting', o.applyingReason, true, now));
      jobs.run(async () => {
        const out: Outcome = { done: [], failed: [] };
        await o.apply(spec, out);
        if (applied !== digest) return; // a newer spec came meanwhile; its own job reports
        if (out.failed.length) {
          applied = null; // the next apply tries again
          board.set(kindStatus(o.kind, spec.name, 'failed', `failed: ${out.failed.join('; ')}${out.done.length ? `; done: ${out.done.join('; ')}` : ''}`, true, now));
        } else board.set(kindStatus(o.kind, spec.name, 'running', out.done.join('; ') || o.nothingDone, true, now));
      });
    },
  };
}
