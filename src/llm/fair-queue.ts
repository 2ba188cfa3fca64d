// A bounded admission queue with N slots and round-robin fairness across clients: a client that sends 50
// requests waits its turn behind one request of each other client, and a full queue answers at once (429)
// instead of growing without bound.
import { CancelledError, QueueFullError } from './errors.js';

interface Waiter { client: string; grant(): void; fail(e: Error): void }

export class FairQueue {
  private active = 0;
  private byClient = new Map<string, Waiter[]>();
  private order: string[] = [];
  private waiting = 0;
  /** Average seconds a slot is held, for Retry-After. */
  private avgHoldS = 1;

  constructor(private slots: number, private readonly maxWaiting: number, private readonly label: string) {}

  get stats(): { active: number; waiting: number; slots: number } { return { active: this.active, waiting: this.waiting, slots: this.slots }; }
  get idle(): boolean { return this.active === 0 && this.waiting === 0; }

  /**
   * Waits for a slot; resolves with its release function. Throws QueueFullError when `maxWaiting` are
   * already waiting, CancelledError when `signal` aborts first.
   */
  acquire(client: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new CancelledError('The request was cancelled before it was queued'));
    if (this.active < this.slots && this.waiting === 0) return Promise.resolve(this.grant());
    if (this.waiting >= this.maxWaiting) {
      const retry = Math.max(1, Math.ceil((this.avgHoldS * (this.waiting + 1)) / this.slots));
      return Promise.reject(new QueueFullError(`The request queue of ${this.label} is full (${this.waiting} waiting, ${this.active} running); retry after ${retry} s`, retry));
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        client,
        grant: () => { signal?.removeEventListener('abort', onAbort); resolve(this.grant()); },
        fail: (e) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      const onAbort = () => {
        const list = this.byClient.get(client);
        const i = list?.indexOf(w) ?? -1;
        if (i >= 0) { list!.splice(i, 1); this.waiting--; if (list!.length === 0) this.drop(client); }
        reject(new CancelledError('The request was cancelled while it waited in the queue'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let list = this.byClient.get(client);
      if (!list) { list = []; this.byClient.set(client, list); this.order.push(client); }
      list.push(w);
      this.waiting++;
    });
  }

  /** Rejects every waiter (model crashed or removed). */
  failAll(e: Error): void {
    for (const list of this.byClient.values()) for (const w of list) w.fail(e);
    this.byClient.clear();
    this.order = [];
    this.waiting = 0;
  }

  private drop(client: string): void {
    this.byClient.delete(client);
    this.order = this.order.filter((c) => c !== client);
  }

  private grant(): () => void {
    this.active++;
    const t0 = Date.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.avgHoldS = this.avgHoldS * 0.8 + ((Date.now() - t0) / 1000) * 0.2;
      this.next();
    };
  }

  private next(): void {
    while (this.active < this.slots && this.order.length > 0) {
      const client = this.order.shift()!;
      const list = this.byClient.get(client)!;
      const w = list.shift()!;
      this.waiting--;
      if (list.length > 0) this.order.push(client);
      else this.byClient.delete(client);
      w.grant();
    }
  }
}
