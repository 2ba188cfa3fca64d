// What the API needs from dialogosd, as one narrow interface: the daemon implements it over the real
// service manager and journal (src/core/backend.ts); tests can implement it over in-memory ones.
import type { Journal } from '../journal/index.js';
import type { StatusBoard, UnitStatus } from '../services/index.js';
import type { ActionBody, ApplyBody, PowerBody, StatusBody } from './schemas.js';

export type UnitActionName = 'start' | 'stop' | 'restart' | 'enable' | 'disable';

/** Read access to the generation store, bound by the composition root (src/gen stays out of src/core). */
export interface GenerationsReader {
  /** The store's state (StoreState of src/gen). */
  state(): Promise<Record<string, unknown>>;
  /** One generation's state entry and manifest. @throws an error named GenerationMissingError when unknown */
  show(id: string): Promise<{ entry: Record<string, unknown>; manifest: unknown }>;
}

export interface ApiBackend {
  status(): StatusBody;
  units(): UnitStatus[];
  /** @throws UnitNotFoundError */
  unit(name: string): { status: UnitStatus; spec: Record<string, unknown> | null };
  /** @throws UnitNotFoundError */
  action(name: string, action: UnitActionName, o: { wait: boolean; timeoutMs: number }): Promise<ActionBody>;
  /** @throws SpecValidationError before anything changes */
  /** Adds or replaces specs; `prune` also removes the machine's specs not among them. */
  apply(specs: unknown[], dryRun: boolean, prune?: boolean): Promise<ApplyBody>;
  /** Removes one machine spec (not a generation default, not one others require) and its unit. */
  remove(kind: string, name: string, dryRun: boolean): Promise<ApplyBody>;
  readonly board: StatusBoard;
  /** null when the journal could not be opened (the API answers 503). */
  readonly journal: Journal | null;
  readonly generations: GenerationsReader | null;
  power(action: 'reboot' | 'poweroff'): Promise<PowerBody>;
}
