// The analytic gradient agrees with central finite differences on a tiny model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backprop } from './backward.js';
import { Net } from './forward.js';
import { initParams, type ModelConfig } from './model.js';
import { Rng } from './rng.js';

const config: ModelConfig = { vocab: 11, dim: 8, layers: 2, heads: 2, ffn: 12, context: 6, normEps: 1e-5, ropeBase: 10000 };

test('gradient matches finite differences on every tensor', () => {
  const net = new Net(config);
  const bp = new Backprop(net);
  const params = initParams(config, 7);
  // Larger weights than the init so every path carries signal, small enough to stay near-linear at eps.
  const rng = new Rng(3);
  for (let i = 0; i < params.length; i++) params[i] = params[i]! * 3 + rng.normal() * 0.01;
  const seq = [1, 5, 3, 9, 2, 7, 4];
  const grad = new Float32Array(params.length);
  bp.lossAndGrad(params, grad, seq);
  const lossAt = (): number => bp.lossAndGrad(params, new Float32Array(params.length), seq);
  let checked = 0;
  let nonTrivial = 0;
  for (const slot of net.layout.all) {
    for (let j = 0; j < 6; j++) {
      const i = slot.offset + rng.int(slot.rows * slot.cols);
      const old = params[i]!;
      const eps = 1e-3;
      params[i] = old + eps; const up = lossAt();
      params[i] = old - eps; const down = lossAt();
      params[i] = old;
      const numeric = (up - down) / (2 * eps);
      const analytic = grad[i]!;
      const tol = 1.5e-4 + 0.05 * Math.abs(numeric);
      assert.ok(Math.abs(numeric - analytic) <= tol, `${slot.name}[${i - slot.offset}]: analytic ${analytic} vs numeric ${numeric}`);
      checked++;
      if (Math.abs(analytic) > 1e-3) nonTrivial++;
    }
  }
  assert.ok(checked > 100);
  assert.ok(nonTrivial > checked / 3, `only ${nonTrivial} of ${checked} gradients are non-trivial`);
});
