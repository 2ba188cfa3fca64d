// A model that aborts llama.cpp, or a corrupt/truncated GGUF, is the model's fault: the request gets a
// clear error, the model is marked failed, and the service keeps serving every other model.
import assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { writeTinyModel } from '../testkit/llm/tiny-model.js';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

type ApiErr = InstanceType<typeof OpenAI.APIError>;

describe('llm crash isolation', () => {
  let fx: Fixture;
  let c: OpenAI;
  before(async () => {
    fx = await withService({}, {
      // llama.cpp asserts (SIGABRT) on a llama model without feed_forward_length.
      aborts: (p) => writeTinyModel(p, { omit: ['llama.feed_forward_length'] }),
      // A whole header, then only half of the tensor data.
      truncated: async (p) => { await writeTinyModel(p, { layers: 1 }); const n = (await readFile(p)).length; await truncate(p, Math.floor(n * 0.6)); },
      // Valid GGUF framing, nonsense metadata: an ordinary load error.
      noeps: (p) => writeTinyModel(p, { omit: ['llama.attention.layer_norm_rms_epsilon'] }),
    });
    c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => { await fx?.cleanup(); });

  it('reports an abort while loading as the model crashing, marks it failed, and keeps serving', async () => {
    // Another model loaded before the crash: its worker, and the API in front of it, must outlive the crash.
    await c.completions.create({ model: 'code', prompt: 'before', max_tokens: 1 });
    const workerPid = async (name: string): Promise<number | null> => ((await c.models.retrieve(name)) as unknown as { dialogos: { pid: number | null } }).dialogos.pid;
    const codePid = await workerPid('code');
    assert.ok(codePid !== null && codePid !== process.pid, `the model runs in a worker process of its own, got pid ${codePid}`);
    await assert.rejects(c.chat.completions.create({ model: 'aborts', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }), (e: ApiErr) => {
      assert.equal(e.status, 500);
      assert.equal(e.code, 'model_crashed');
      assert.match(e.message, /model "aborts" crashed while loading: killed by SIGABRT/);
      return true;
    });
    const entry = (await c.models.retrieve('aborts')) as unknown as { dialogos: { state: string; reason: string } };
    assert.equal(entry.dialogos.state, 'failed');
    assert.match(entry.dialogos.reason, /SIGABRT/);
    // Failed stays failed (no reload storm), with the reason.
    await assert.rejects(c.completions.create({ model: 'aborts', prompt: 'x', max_tokens: 1 }), (e: ApiErr) => e.status === 503 && /failed: model "aborts" crashed while loading/.test(e.message));
    const ok = await c.completions.create({ model: 'code', prompt: 'still up', max_tokens: 3 });
    assert.ok(ok.usage!.completion_tokens >= 1);
    assert.equal(await workerPid('code'), codePid, 'the other model kept its worker: nothing was restarted');
    process.kill(codePid, 0); // throws ESRCH if that worker had died with the crash
    const health = await fetch(`${fx.svc.baseUrl}/health`);
    assert.deepEqual({ status: health.status, body: await health.json() }, { status: 200, body: { status: 'ok' } }, 'the API answers a new request after the crash');
  });

  it('rejects a truncated GGUF with a clear error before loading it', async () => {
    await assert.rejects(c.completions.create({ model: 'truncated', prompt: 'x', max_tokens: 1 }), (e: ApiErr) => {
      assert.equal(e.status, 404, 'a shipped file that fails its header check is not offered as a model');
      return true;
    });
    // Registered in the index by hand (a file that broke after it was added): refused at load, by name.
    const idx = JSON.parse(await readFile(fx.paths.indexFile, 'utf8')) as { models: Record<string, unknown>[] };
    const code = idx.models.find((m) => m.name === 'code')!;
    const broken = { ...code, name: 'broken', file: 'broken.gguf' };
    const bytes = await readFile(`${fx.paths.modelsDir}/code.gguf`);
    await writeFile(`${fx.paths.modelsDir}/broken.gguf`, bytes.subarray(0, bytes.length - 1000));
    await writeFile(fx.paths.indexFile, JSON.stringify({ models: [...idx.models, broken] }));
    await assert.rejects(c.completions.create({ model: 'broken', prompt: 'x', max_tokens: 1 }), (e: ApiErr) => {
      assert.equal(e.status, 503);
      assert.match(e.message, /Cannot load model "broken": the file is truncated: its tensors need \d+ bytes, the file has \d+/);
      return true;
    });
    assert.equal((await c.completions.create({ model: 'code', prompt: 'y', max_tokens: 1 })).choices.length, 1);
  });

  it('reports an ordinary load error by its reason', async () => {
    await assert.rejects(c.completions.create({ model: 'noeps', prompt: 'x', max_tokens: 1 }), (e: ApiErr) => e.status === 503 && /Cannot load model "noeps"/.test(e.message));
  });

  it('fails in-flight requests when a worker dies mid-generation, then loads the model again', async () => {
    await c.completions.create({ model: 'chat', prompt: 'warm', max_tokens: 1 });
    const pid = ((await c.models.retrieve('chat')) as unknown as { dialogos: { pid: number } }).dialogos.pid;
    const stream = await c.completions.create({ model: 'chat', prompt: 'long', max_tokens: 900, temperature: 0, stream: true });
    let killed = false;
    await assert.rejects((async () => {
      for await (const ch of stream) {
        if (!killed && ch.choices[0]?.text) { killed = true; process.kill(pid, 'SIGKILL'); }
      }
    })(), /crashed while generating: killed by SIGKILL/);
    const again = await c.completions.create({ model: 'chat', prompt: 'again', max_tokens: 2 });
    assert.ok(again.usage!.completion_tokens >= 1);
    const entry = (await c.models.retrieve('chat')) as unknown as { dialogos: { pid: number; crashes: number; state: string } };
    assert.notEqual(entry.dialogos.pid, pid);
    assert.equal(entry.dialogos.crashes, 1);
    assert.equal(entry.dialogos.state, 'ready');
  });
});
