// Loaded local models: one worker process each, loaded on first use, evicted least-recently-used when a new
// one would not fit the memory budget, unloaded after an idle time. A worker that dies is the model's fault:
// a crash while loading marks the model failed (until its file changes), a crash while generating fails the
// requests it had and the next request loads it again.
import { ModelCrashedError, ModelLoadError } from './errors.js';
import { FairQueue } from './fair-queue.js';
import { checkGguf } from './gguf-header.js';
import type { StoredModel } from './store.js';
import { ModelWorker } from './worker-client.js';

export interface LocalModelsConfig {
  memoryBudgetBytes: number;
  contextSize: number;
  sequences: number;
  threads: number;
  maxQueue: number;
  idleUnloadMs: number;
  gpu: false | 'vulkan' | 'cuda';
  workerPath?: string;
  log?(level: 'info' | 'warn' | 'error', msg: string): void;
}

export interface ModelRuntimeStatus {
  state: 'unloaded' | 'loading' | 'ready' | 'failed';
  reason: string | null;
  pid: number | null;
  estimateBytes: number | null;
  queue: { active: number; waiting: number; slots: number };
  crashes: number;
}

interface Slot {
  model: StoredModel;
  key: string;
  queue: FairQueue;
  worker?: ModelWorker;
  loading?: Promise<ModelWorker>;
  failed?: string;
  lastCrash?: string;
  crashes: number;
  estimate?: number;
  lastUsed: number;
  idleTimer?: NodeJS.Timeout;
}

const WORKER_OVERHEAD = 96 * 1024 * 1024;
const keyOf = (m: StoredModel) => `${m.file}:${m.size}:${m.sha256 ?? ''}`;

export class LocalModels {
  private slots = new Map<string, Slot>();
  constructor(private readonly cfg: LocalModelsConfig) {}

  private slot(m: StoredModel): Slot {
    let s = this.slots.get(m.name);
    if (s && s.key !== keyOf(m)) { void this.unload(s); s = undefined; }
    if (!s) {
      s = { model: m, key: keyOf(m), queue: new FairQueue(this.cfg.sequences, this.cfg.maxQueue, `model "${m.name}"`), crashes: 0, lastUsed: 0 };
      this.slots.set(m.name, s);
    }
    return s;
  }

  status(m: StoredModel): ModelRuntimeStatus {
    const s = this.slots.get(m.name);
    if (!s || s.key !== keyOf(m)) return { state: 'unloaded', reason: null, pid: null, estimateBytes: null, queue: { active: 0, waiting: 0, slots: this.cfg.sequences }, crashes: 0 };
    const state = s.failed ? 'failed' : s.worker?.alive ? 'ready' : s.loading ? 'loading' : 'unloaded';
    return { state, reason: s.failed ?? s.lastCrash ?? null, pid: s.worker?.pid ?? null, estimateBytes: s.estimate ?? null, queue: s.queue.stats, crashes: s.crashes };
  }

  /** pids of the running workers (for memory figures). */
  pids(): number[] { return [...this.slots.values()].map((s) => s.worker?.alive ? s.worker.pid : undefined).filter((p): p is number => p !== undefined); }

  /**
   * Runs `fn` on the model's worker once a slot is free (fair across clients) and the model is loaded.
   * Throws QueueFullError, CancelledError, ModelLoadError, ModelCrashedError.
   */
  async run<T>(m: StoredModel, client: string, signal: AbortSignal | undefined, fn: (w: ModelWorker) => Promise<T>): Promise<T> {
    const s = this.slot(m);
    if (s.failed) throw new ModelLoadError(`model "${m.name}" failed: ${s.failed}`);
    const release = await s.queue.acquire(client, signal);
    clearTimeout(s.idleTimer);
    try {
      const w = await this.ensureLoaded(s);
      s.lastUsed = Date.now();
      return await fn(w);
    } finally {
      s.lastUsed = Date.now();
      release();
      if (s.queue.idle && this.cfg.idleUnloadMs > 0) {
        s.idleTimer = setTimeout(() => { if (s.queue.idle) void this.unload(s); }, this.cfg.idleUnloadMs);
        s.idleTimer.unref();
      }
    }
  }

  private async estimate(m: StoredModel): Promise<number> {
    const h = await checkGguf(m.file).catch((err: Error) => { throw new ModelLoadError(`Cannot load model "${m.name}": ${err.message}`, { cause: err }); });
    const arch = m.architecture;
    const n = (k: string) => (typeof h.metadata[`${arch}.${k}`] === 'number' ? (h.metadata[`${arch}.${k}`] as number) : 0);
    const heads = n('attention.head_count') || 1;
    const kvDim = (n('embedding_length') / heads) * (n('attention.head_count_kv') || heads);
    const ctx = Math.min(this.cfg.contextSize, m.contextLength ?? this.cfg.contextSize);
    return h.fileSize + 2 * n('block_count') * ctx * this.cfg.sequences * kvDim * 2 + WORKER_OVERHEAD;
  }

  private async ensureLoaded(s: Slot): Promise<ModelWorker> {
    if (s.worker?.alive) return s.worker;
    if (s.failed) throw new ModelLoadError(`model "${s.model.name}" failed: ${s.failed}`);
    s.loading ??= this.load(s).finally(() => { s.loading = undefined; });
    return s.loading;
  }

  private async load(s: Slot): Promise<ModelWorker> {
    const m = s.model;
    const need = await this.estimate(m);
    if (need > this.cfg.memoryBudgetBytes) throw new ModelLoadError(`Cannot load model "${m.name}": it needs about ${mib(need)} MiB and the memory budget is ${mib(this.cfg.memoryBudgetBytes)} MiB (raise --memory-budget)`);
    const others = [...this.slots.values()].filter((o) => o !== s && (o.worker?.alive || o.loading));
    let used = others.reduce((a, o) => a + (o.estimate ?? 0), 0);
    for (const o of others.filter((x) => x.queue.idle && !x.loading).sort((a, b) => a.lastUsed - b.lastUsed)) {
      if (used + need <= this.cfg.memoryBudgetBytes) break;
      this.cfg.log?.('info', `unloading idle model "${o.model.name}" to make room for "${m.name}"`);
      await this.unload(o);
      used -= o.estimate ?? 0;
    }
    if (used + need > this.cfg.memoryBudgetBytes) throw new ModelLoadError(`Cannot load model "${m.name}" now: it needs about ${mib(need)} MiB, ${mib(used)} MiB of the ${mib(this.cfg.memoryBudgetBytes)} MiB budget are held by busy models; retry later`);
    s.estimate = need;
    const w = new ModelWorker({ name: m.name, modelPath: m.file, contextSize: this.cfg.contextSize, sequences: this.cfg.sequences, threads: this.cfg.threads, gpu: this.cfg.gpu, workerPath: this.cfg.workerPath });
    w.onExit = (reason, unexpected) => {
      if (!unexpected) return;
      s.crashes++;
      if (s.worker === w) s.worker = undefined;
      s.lastCrash = reason;
      this.cfg.log?.('error', reason);
    };
    try {
      await w.start();
    } catch (err) {
      if (err instanceof ModelCrashedError) s.failed = err.message;
      s.estimate = undefined;
      throw err;
    }
    s.worker = w;
    this.cfg.log?.('info', `loaded model "${m.name}" (pid ${w.pid}, about ${mib(need)} MiB)`);
    return w;
  }

  private async unload(s: Slot): Promise<void> {
    clearTimeout(s.idleTimer);
    const w = s.worker;
    s.worker = undefined;
    s.estimate = undefined;
    if (w) await w.stop();
    if (this.slots.get(s.model.name) === s && !s.failed && s.queue.idle) this.slots.delete(s.model.name);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => { s.queue.failAll(new ModelLoadError('The llm service is stopping')); return this.unload(s); }));
  }
}

const mib = (n: number) => Math.round(n / 1048576);
