// In-memory implementations of dialogosd's ports for tests: a store, a clock that jumps, a scripted
// process spawner, and a console and power requester that record into one shared event log.
import type { GenerationRecord, StoreState } from '../../gen/types.js';
import type { Clock, Console, GenerationStore, PowerAction, PowerRequester, SpawnResult, Spawner } from '../../core/ports.js';
import type { UkiBlesser, UkiBlessResult } from '../../core/uki.js';

export type EventLog = string[];

function record(status: GenerationRecord['status']): GenerationRecord {
  return { version: 1, status, triesLeft: 2, priority: 0, pinned: false, recovery: false, addedAt: '2026-01-01T00:00:00Z', blessedAt: null, badReason: null };
}

/** A store holding one generation `id`; a staged one has a running trial. */
export class MemoryStore implements GenerationStore {
  state: StoreState;
  constructor(readonly log: EventLog, id: string, status: GenerationRecord['status'] = 'staged') {
    this.state = {
      schema: 1, generations: { [id]: record(status) }, default: id, oneShot: null, floor: 0, lastGood: null,
      trial: status === 'staged' ? { id, startedAt: '2026-01-01T00:00:00Z' } : null, booted: null, history: [],
    };
  }
  private gen(id: string): GenerationRecord {
    const g = this.state.generations[id];
    if (!g) throw new Error(`no generation ${id}`);
    return g;
  }
  bless(id: string): void {
    this.log.push(`store.bless ${id}`);
    Object.assign(this.gen(id), { status: 'good', blessedAt: 'now' });
    this.state.trial = null;
  }
  markBad(id: string, reason: string): void {
    this.log.push(`store.markBad ${id}: ${reason}`);
    Object.assign(this.gen(id), { status: 'bad', badReason: reason });
    this.state.trial = null;
  }
  refundTry(id: string): void {
    this.log.push(`store.refundTry ${id}`);
    this.gen(id).triesLeft++;
    this.state.trial = null;
  }
  readState(): StoreState {
    return structuredClone(this.state);
  }
}

/** Time moves only when someone sleeps or a scripted command takes time. */
export class FakeClock implements Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.t += Math.max(0, ms);
    await Promise.resolve();
  }
}

export type Script = (argv: string[], timeoutMs: number, signal?: AbortSignal) => SpawnResult | Promise<SpawnResult>;

export class FakeSpawner implements Spawner {
  calls: string[][] = [];
  constructor(private readonly script: Script) {}
  async run(argv: string[], timeoutMs: number, signal?: AbortSignal): Promise<SpawnResult> {
    this.calls.push(argv);
    return this.script(argv, timeoutMs, signal);
  }
}

export const exit = (code: number, stderrTail = ''): SpawnResult => ({ kind: 'exit', code, stderrTail });

export class LogConsole implements Console {
  lines: string[] = [];
  constructor(private readonly log: EventLog) {}
  line(text: string): void {
    this.lines.push(text);
    this.log.push(`console ${text}`);
  }
}

export class LogPower implements PowerRequester {
  constructor(private readonly log: EventLog) {}
  async request(action: PowerAction): Promise<void> {
    this.log.push(`power ${action}`);
  }
}

export class FakeUki implements UkiBlesser {
  constructor(private readonly log: EventLog, private readonly result: UkiBlessResult = { kind: 'blessed', from: 'EFI/Linux/d+2-1.efi', to: 'EFI/Linux/d.efi' }) {}
  async blessRunning(): Promise<UkiBlessResult> {
    this.log.push(`uki.bless ${this.result.kind}`);
    return this.result;
  }
}

/**
 * A stand-in for src/gen's store over a hand-made `state.json`, for host-mode tests of the composed daemon
 * until the real store is bound (the lead's integration replaces it with src/gen's).
 */
export class JsonFileStore implements GenerationStore {
  readonly storeDir: string;
  /** `root` is /data/dialogos, as for src/gen's Store. */
  constructor(readonly root: string) {
    this.storeDir = `${root}/store`;
  }
  private async update(fn: (s: StoreState) => void): Promise<void> {
    const { readFile } = await import('node:fs/promises');
    const { writeFileAtomic } = await import('../../std/index.js');
    const path = `${this.storeDir}/state.json`;
    const s = JSON.parse(await readFile(path, 'utf8')) as StoreState;
    fn(s);
    await writeFileAtomic(path, JSON.stringify(s));
  }
  bless(id: string): Promise<void> {
    return this.update((s) => { Object.assign(s.generations[id]!, { status: 'good', blessedAt: new Date().toISOString() }); s.trial = null; s.lastGood = id; });
  }
  markBad(id: string, reason: string): Promise<void> {
    return this.update((s) => { Object.assign(s.generations[id]!, { status: 'bad', badReason: reason }); s.trial = null; });
  }
  refundTry(id: string): Promise<void> {
    return this.update((s) => { s.generations[id]!.triesLeft++; s.trial = null; });
  }
  /** In src/gen's LoadedState shape, to exercise that reading path. */
  async readState(): Promise<{ state: StoreState }> {
    const { readFile } = await import('node:fs/promises');
    return { state: JSON.parse(await readFile(`${this.storeDir}/state.json`, 'utf8')) as StoreState };
  }
}

/** Writes a tiny store layout by hand: state.json with one staged (trial) generation and its manifest. */
export async function writeTinyStore(dataDir: string, id: string, health: { windowSeconds: number; checks: unknown[] }): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const store = `${dataDir}/dialogos/store`;
  await mkdir(`${store}/gens/${id}/tree`, { recursive: true });
  await mkdir(`${dataDir}/dialogos/keys`, { recursive: true });
  await writeFile(`${store}/gens/${id}/manifest.json`, JSON.stringify({ schema: 1, version: 1, health }));
  const s = new MemoryStore([], id, 'staged').state;
  await writeFile(`${store}/state.json`, JSON.stringify(s));
  await writeFile(`${dataDir}/dialogos/keys/policy.json`, '{"trustMachineKey":true}');
}
