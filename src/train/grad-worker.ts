// Worker thread of workerEngine: computes per-sequence gradients into shared slots.
import { parentPort, workerData } from 'node:worker_threads';
import { Backprop } from './backward.js';
import { Net } from './forward.js';
import type { ModelConfig } from './model.js';

const data = workerData as { config: ModelConfig; params: SharedArrayBuffer; slots: SharedArrayBuffer; size: number };
const params = new Float32Array(data.params);
const slots = new Float32Array(data.slots);
const bp = new Backprop(new Net(data.config));

parentPort?.on('message', (job: { index: number; seqs: Uint16Array[] }) => {
  const losses = job.seqs.map((s, i) => {
    const slot = slots.subarray((job.index + i) * data.size, (job.index + i + 1) * data.size);
    slot.fill(0);
    return bp.lossAndGrad(params, slot, s);
  });
  parentPort?.postMessage(losses);
});
