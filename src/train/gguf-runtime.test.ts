// The GGUF writer, the byte tokenizer and the TypeScript forward pass agree with llama.cpp itself: the file
// is loaded by node-llama-cpp in a child process, which tokenizes held-out text and predicts next tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Net, logProb } from './forward.js';
import { modelToGguf } from './gguf/model-gguf.js';
import { initParams, type ModelConfig } from './model.js';
import { probeRuntime } from './runtime-probe.js';
import { encode } from './tokenizer.js';
import { loadCorpus } from './corpus.js';
import { runningRoot } from './paths.js';

const config: ModelConfig = { vocab: 257, dim: 32, layers: 2, heads: 4, ffn: 64, context: 64, normEps: 1e-5, ropeBase: 10000 };

test('llama.cpp tokenizes, detokenizes and predicts like the TypeScript model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dgtrain-rt-'));
  try {
    const params = initParams(config, 11);
    for (let i = 0; i < params.length; i++) params[i] = params[i]! * 8; // sharper than init: real disagreements show
    const file = join(dir, 'm.gguf');
    writeFileSync(file, modelToGguf(config, params));
    const heldOut = loadCorpus(runningRoot()).heldOut.slice(0, 3).map((f) => f.text.slice(0, 2000));
    const texts = [...heldOut, 'naïve “quotes” 漢字 \u{1F600}\t\r\n  \0 <|endoftext|>', ''];
    const prompts = [encode('function add(a, b) {\n  return'), encode('# Dialogos\n\nAn OS whose'), encode(heldOut[0]!.slice(0, 60))];
    const ans = await probeRuntime(file, texts, prompts);
    texts.forEach((t, i) => {
      assert.deepEqual(ans.tokenized[i], encode(t), `tokenize text ${i}`);
      assert.equal(ans.detokenized[i], t, `detokenize text ${i}`);
    });
    const net = new Net(config);
    prompts.forEach((p, i) => {
      const logits = net.forward(params, p);
      const ours = Array.from({ length: config.vocab }, (_, t) => logProb(logits, p.length - 1, config.vocab, t));
      const theirs = ans.next[i]!;
      const argmax = ours.indexOf(Math.max(...ours));
      assert.equal(theirs[0]![0], argmax, `prompt ${i}: llama.cpp's top token`);
      // llama.cpp's CPU kernels round some intermediates (about 1e-3 of a logit); a few hundredths of a nat is far below what a
      // wrong layout, RoPE mode or norm would cause (those move log-probabilities by whole nats).
      for (const [tok, prob] of theirs.slice(0, 10)) {
        assert.ok(Math.abs(Math.log(prob) - ours[tok]!) < 0.03 + 0.01 * Math.abs(ours[tok]!), `prompt ${i} token ${tok}: llama.cpp log p ${Math.log(prob)} vs ours ${ours[tok]}`);
      }
    });
    // Q8_0 weights load too (llama.cpp also quantizes activations there, so only loading and tokenizing are compared).
    const q8 = join(dir, 'q8.gguf');
    writeFileSync(q8, modelToGguf(config, params, { type: 'q8_0' }));
    const q = await probeRuntime(q8, ['const x = 1;'], [encode('const x')]);
    assert.deepEqual(q.tokenized[0], encode('const x = 1;'));
    const sum = q.next[0]!.reduce((a, [, p]) => a + p, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `Q8_0 next-token probabilities sum to ${sum}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
