// Computes the summed gradient of a batch, in-process or across worker threads. Each sequence's gradient
// lands in its own slot and the slots are added in sequence order, so the result is bit-identical for any
// thread count (and therefore for any resume on a machine with a different core budget).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Backprop } from './backward.js';
import { Net } from './forward.js';
import type { ModelConfig } from './model.js';

/** Gradient computation for one batch; params and the returned grad share the engine's buffers. */
export interface GradEngine {
  /** Parameters the engine reads (write new weights here between batches). */
  readonly params: Float32Array;
  /** Sums the gradients of `seqs` (each context+1 tokens) into `grad`; returns mean loss (nats/token). */
  batch(seqs: Uint16Array[], grad: Float32Array): Promise<number>;
  close(): Promise<void>;
}

function sumSlots(slots: Float32Array, n: number, size: number, grad: Float32Array): void {
  grad.fill(0);
  for (let b = 0; b < n; b++) {
    const o = b * size;
    for (let i = 0; i < size; i++) grad[i] = grad[i]! + slots[o + i]!;
  }
}

/** In-process engine (one thread). */
export function localEngine(config: ModelConfig, size: number, maxBatch: number): GradEngine {
  const bp = new Backprop(new Net(config));
  const params = new Float32Array(size);
  const slots = new Float32Array(size * maxBatch);
  return {
    params,
    async batch(seqs, grad) {
      let loss = 0;
      seqs.forEach((s, b) => {
        const slot = slots.subarray(b * size, (b + 1) * size);
        slot.fill(0);
        loss += bp.lossAndGrad(params, slot, s);
      });
      sumSlots(slots, seqs.length, size, grad);
      return loss / seqs.length;
    },
    async close() { /* nothing to stop */ },
  };
}

const WORKER = new URL('./grad-worker.js', import.meta.url);

/**
 * True when the worker entry exists beside this module. In a single-file bundle (the OS's bin/dialogos.mjs)
 * it exists only if the bundle step also emitted grad-worker.js; otherwise training runs on one thread,
 * with the same results.
 */
export function workersAvailable(): boolean {
  return WORKER.protocol === 'file:' && existsSync(fileURLToPath(WORKER));
}

/** Engine over `threads` worker threads sharing params and gradient slots through SharedArrayBuffer. */
export function workerEngine(config: ModelConfig, size: number, maxBatch: number, threads: number): GradEngine {
  const params = new Float32Array(new SharedArrayBuffer(size * 4));
  const slotBuf = new SharedArrayBuffer(size * maxBatch * 4);
  const slots = new Float32Array(slotBuf);
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, {
    workerData: { config, params: params.buffer, slots: slotBuf, size },
  }));
  const run = (w: Worker, job: { index: number; seqs: Uint16Array[] }): Promise<number[]> => new Promise((resolve, reject) => {
    const onMsg = (losses: number[]): void => { w.off('error', onErr); resolve(losses); };
    const onErr = (e: Error): void => { w.off('message', onMsg); reject(e); };
    w.once('message', onMsg);
    w.once('error', onErr);
    w.postMessage(job);
  });
  return {
    params,
    async batch(seqs, grad) {
      const per = Math.ceil(seqs.length / threads);
      const parts = await Promise.all(workers.map((w, i) => {
        const mine = seqs.slice(i * per, (i + 1) * per);
        return mine.length ? run(w, { index: i * per, seqs: mine }) : Promise.resolve([]);
      }));
      sumSlots(slots, seqs.length, size, grad);
      let loss = 0;
      for (const l of parts.flat()) loss += l;
      return loss / seqs.length;
    },
    async close() { await Promise.all(workers.map((w) => w.terminate())); },
  };
}
