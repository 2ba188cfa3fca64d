// A composition root for Startable parts (STYLE.md, after js-libp2p): each part is made by a factory that
// receives only the parts it declares, once those have started; parts start in dependency order and stop
// in reverse. A missing dependency is reported by name before anything starts.
import { DependencyCycleError, PartStartError, UndeclaredPartError, UnmetDependencyError } from './errors.js';

export interface Startable {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** How to make one part: the parts it needs (started before it, stopped after it) and its factory. */
export interface PartDef<P, K extends keyof P> {
  readonly needs: readonly (keyof P & string)[];
  /** Called once every part it needs has started; `get` hands out those parts and no others. */
  create(get: <N extends keyof P & string>(name: N) => P[N]): P[K] | Promise<P[K]>;
}

export type Plan<P> = { [K in keyof P & string]: PartDef<P, K> };

export interface ComposeHooks {
  /** Told before the parts made so far are stopped because `part` failed to start. */
  onStartFailure?(part: string, err: unknown): void;
  /** A part's stop failed; the others are stopped all the same. */
  onStopError?(part: string, err: unknown): void;
}

export interface System<P> {
  /** Start order; @throws UnmetDependencyError, DependencyCycleError */
  order(): string[];
  /**
   * Makes and starts every part; resolves 'stopped' when stop() came first. A part that fails to make or
   * start stops every part made so far (itself included), in reverse.
   * @throws UnmetDependencyError, DependencyCycleError (nothing started); PartStartError (cause: the part's error)
   */
  start(): Promise<'started' | 'stopped'>;
  /** Stops every part made, in reverse, also while start() is running; the same promise for every call. */
  stop(): Promise<void>;
  /** A part once made. */
  get<K extends keyof P & string>(name: K): P[K] | undefined;
}

function startOrder<P>(plan: Plan<P>): string[] {
  const defs = plan as Record<string, { needs: readonly string[] }>;
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') throw new DependencyCycleError(`Cannot order the parts: ${[...path, name].join(' -> ')} is a cycle`);
    state.set(name, 'open');
    for (const need of defs[name]!.needs) {
      if (!defs[need]) throw new UnmetDependencyError(`Cannot start "${name}": it needs "${need}", which is not a part of this system`);
      visit(need, [...path, name]);
    }
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(defs)) visit(name, []);
  return order;
}

/** Composes `plan` (parts in the order written, unless a dependency says otherwise). */
export function compose<P>(plan: Plan<P>, hooks: ComposeHooks = {}): System<P> {
  const made: Array<[string, Startable]> = [];
  const parts = new Map<string, unknown>();
  let making: Promise<unknown> | null = null;
  let stopping: Promise<void> | null = null;

  const getter = (owner: string) => <N extends keyof P & string>(name: N): P[N] => {
    const def = (plan as Record<string, { needs: readonly string[] }>)[owner]!;
    if (!def.needs.includes(name)) throw new UndeclaredPartError(`Part "${owner}" asked for "${name}", which it does not declare in needs`);
    return parts.get(name) as P[N];
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await making?.catch(() => undefined);
      for (const [name, part] of [...made].reverse()) {
        try {
          await part.stop();
        } catch (err) {
          hooks.onStopError?.(name, err);
        }
      }
    })();
    return stopping;
  };

  const startOne = async (name: string): Promise<void> => {
    const def = (plan as Record<string, PartDef<P, keyof P>>)[name]!;
    const creating = Promise.resolve(def.create(getter(name)));
    making = creating;
    const part = (await creating) as Startable;
    parts.set(name, part);
    made.push([name, part]);
    if (!stopping) await part.start();
  };

  return {
    order: () => startOrder(plan),
    get: (name) => parts.get(name) as P[typeof name] | undefined,
    stop,
    async start() {
      for (const name of startOrder(plan)) {
        if (stopping) break;
        try {
          await startOne(name);
        } catch (err) {
          // A stop in progress explains a part that gave up; it is being stopped already.
          if (stopping) break;
          hooks.onStartFailure?.(name, err);
          await stop();
          throw new PartStartError(name, err);
        }
      }
      if (stopping) {
        await stopping;
        return 'stopped';
      }
      return 'started';
    },
  };
}
