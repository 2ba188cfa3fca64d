// Loading within the memory budget: least-recently-used idle models make room, a model that cannot fit
// is refused with the numbers, and idle models are unloaded after --idle-unload.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import OpenAI from 'openai';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

type ApiErr = InstanceType<typeof OpenAI.APIError>;
const MiB = 1024 * 1024;

describe('llm memory budget and idle unload', () => {
  const fixtures: Fixture[] = [];
  after(async () => { for (const f of fixtures) await f.cleanup(); });
  const state = async (c: OpenAI, id: string) => ((await c.models.retrieve(id)) as unknown as { dialogos: { state: string; pid: number | null } }).dialogos;

  it('unloads the least-recently-used idle model to make room for the next', async () => {
    // Each tiny model is estimated at ~97 MiB (file + KV cache + 96 MiB per worker): one fits, two do not.
    const fx = await withService({ memoryBudgetBytes: 150 * MiB });
    fixtures.push(fx);
    const c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
    await c.completions.create({ model: 'chat', prompt: 'a', max_tokens: 1 });
    const chatPid = (await state(c, 'chat')).pid!;
    assert.equal((await state(c, 'chat')).state, 'ready');
    await c.completions.create({ model: 'code', prompt: 'b', max_tokens: 1 });
    assert.equal((await state(c, 'code')).state, 'ready');
    assert.equal((await state(c, 'chat')).state, 'unloaded');
    assert.throws(() => process.kill(chatPid, 0), { code: 'ESRCH' }, 'the evicted worker process is gone');
    await c.completions.create({ model: 'chat', prompt: 'c', max_tokens: 1 });
    assert.equal((await state(c, 'code')).state, 'unloaded');
  });

  it('refuses a model larger than the whole budget with both numbers', async () => {
    const fx = await withService({ memoryBudgetBytes: 48 * MiB });
    fixtures.push(fx);
    const c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
    await assert.rejects(c.completions.create({ model: 'code', prompt: 'x', max_tokens: 1 }), (e: ApiErr) => {
      assert.equal(e.status, 503);
      assert.match(e.message, /Cannot load model "code": it needs about \d+ MiB and the memory budget is 48 MiB \(raise --memory-budget\)/);
      return true;
    });
  });

  it('unloads a model after it was idle for --idle-unload', async () => {
    const fx = await withService({ idleUnloadMs: 200 });
    fixtures.push(fx);
    const c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
    await c.completions.create({ model: 'code', prompt: 'x', max_tokens: 1 });
    const end = Date.now() + 30_000;
    while ((await state(c, 'code')).state !== 'unloaded') {
      assert.ok(Date.now() < end, 'the idle model was not unloaded within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await c.completions.create({ model: 'code', prompt: 'y', max_tokens: 1 })).choices.length, 1);
  });
});
