// An in-memory BootStore for unit tests, with a plain policy: forced id, menu pick, one-shot, default, then
// the rest by priority; bad ones skipped; each candidate verified; failures become fallbacks and bad marks.
import type { GenerationRecord, Manifest, StoreState } from '../../gen/types.js';
import type { BootDecision, BootStore, Mark, SelectOptions, VerifiedGeneration } from '../../boot/store.js';

export function fakeManifest(over: Partial<Manifest> = {}): Manifest {
  return {
    schema: 1, version: 1, parent: null, rollbackFloor: 0, created: '2026-01-01T00:00:00Z',
    provenance: { builder: 'test', sourceDigest: 'x', toolchain: {}, command: 'test' },
    entry: { main: 'core/main.js', args: [] }, kernel: null,
    health: { windowSeconds: 60, checks: [] }, files: [], ...over,
  };
}

export function fakeRecord(over: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    version: 1, status: 'good', triesLeft: 0, priority: 0, pinned: false, recovery: false,
    addedAt: '2026-01-01T00:00:00Z', blessedAt: null, badReason: null, ...over,
  };
}

export function fakeState(generations: Record<string, GenerationRecord>, over: Partial<StoreState> = {}): StoreState {
  return { schema: 1, generations, default: null, oneShot: null, floor: 0, lastGood: null, trial: null, booted: null, history: [], ...over };
}

export class FakeStore implements BootStore {
  readonly tries: BootDecision[] = [];
  readonly bad: Mark[] = [];
  readonly verified: string[] = [];
  /** id -> why verification fails */
  readonly corrupt = new Map<string, string>();
  readonly manifests = new Map<string, Manifest>();

  constructor(public state: StoreState) {}

  readState(): StoreState {
    return this.state;
  }

  async select(state: StoreState, o: SelectOptions): Promise<BootDecision> {
    const byPriority = Object.keys(state.generations).sort(
      (a, b) => state.generations[b]!.priority - state.generations[a]!.priority || (a < b ? -1 : 1),
    );
    const order = [o.forcedId, o.menuPick, state.oneShot, state.default, ...byPriority].filter((x): x is string => !!x);
    const fallbacks: Mark[] = [];
    const markBad: Mark[] = [];
    for (const id of [...new Set(order)]) {
      const rec = state.generations[id];
      if (!rec || rec.status === 'bad') continue;
      try {
        await o.verify(id);
      } catch (err) {
        const reason = (err as Error).message;
        fallbacks.push({ id, reason });
        markBad.push({ id, reason });
        continue;
      }
      const reason = id === o.forcedId ? 'kexec' : id === o.menuPick ? 'menu' : fallbacks.length ? 'fallback' : 'default';
      const attempt = rec.status === 'staged' ? rec.triesLeft : 0;
      return { id, reason, attempt, fallbacks, markBad };
    }
    throw new Error('every generation is bad or refused');
  }

  verify(id: string): VerifiedGeneration {
    this.verified.push(id);
    const why = this.corrupt.get(id);
    if (why) throw new Error(`Cannot boot generation "${id}": ${why}`);
    return { id, manifest: this.manifests.get(id) ?? fakeManifest(), treeDir: `/data/dialogos/store/gens/${id}/tree` };
  }

  /** Keeps every decision; `spent` lists the ones that spend a try (not the second half of a kexec). */
  readonly spent: string[] = [];

  recordTry(decision: BootDecision): void {
    this.tries.push(decision);
    for (const m of decision.markBad) this.markBad(m.id, m.reason);
    if (decision.reason !== 'kexec') this.spent.push(decision.id);
  }

  markBad(id: string, reason: string): void {
    this.bad.push({ id, reason });
    const rec = this.state.generations[id];
    if (rec) this.state = { ...this.state, generations: { ...this.state.generations, [id]: { ...rec, status: 'bad', badReason: reason } } };
  }
}
