// A fake clock for controller tests: time moves only through `advance`, which fires due sleepers in
// time order and lets the promise chains they start run before moving on.
import type { Clock } from '../../../core/services/ports.js';

interface Sleeper { at: number; seq: number; resolve(): void }

/** Lets pending promise callbacks (and setImmediate work such as fs callbacks) run. */
export async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];
  private seq = 0;
  constructor(private t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const s: Sleeper = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve };
      this.sleepers.push(s);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((x) => x !== s);
        resolve();
      }, { once: true });
    });
  }
  /** Pending sleepers, for asserting what a controller waits for. */
  get pending(): number[] {
    return this.sleepers.map((s) => s.at - this.t).sort((a, b) => a - b);
  }
  /** Moves time forward by `ms`, waking sleepers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flush();
    for (;;) {
      const next = [...this.sleepers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next || next.at > target) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await flush();
    }
    this.t = target;
    await flush();
  }
}
