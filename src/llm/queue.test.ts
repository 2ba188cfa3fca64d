// Queueing and cancellation through HTTP with concurrent clients: a bounded queue answers 429 with
// Retry-After, a client that disconnects stops its generation, timeouts answer 504, all in one worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';
import { writeTinyModel } from '../testkit/llm/tiny-model.js';

type ApiErr = InstanceType<typeof OpenAI.APIError>;
interface Rt { pid: number; queue: { active: number; waiting: number }; generatedTokens: number; state: string }

async function until(what: string, f: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('llm queueing and cancellation', () => {
  let fx: Fixture;
  let c: OpenAI;
  const rt = async (): Promise<Rt> => ((await c.models.retrieve('chat')) as unknown as { dialogos: Rt }).dialogos;
  before(async () => {
    fx = await withService({ sequences: 1, maxQueue: 2, requestTimeoutMs: 60_000 });
    c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
    await c.completions.create({ model: 'chat', prompt: 'warm', max_tokens: 1 });
  });
  after(async () => { await fx?.cleanup(); });

  it('queues up to --max-queue, answers 429 with Retry-After beyond, and a disconnect frees the slot', async () => {
    const pid = (await rt()).pid;
    const ac = new AbortController();
    const long = await c.completions.create({ model: 'chat', prompt: 'long', max_tokens: 1000, temperature: 0, stream: true }, { signal: ac.signal });
    const it = long[Symbol.asyncIterator]();
    await it.next();
    const before = (await rt()).generatedTokens;
    const queued = [c.completions.create({ model: 'chat', prompt: 'b', max_tokens: 2, user: 'bob' }), c.completions.create({ model: 'chat', prompt: 'c', max_tokens: 2, user: 'carol' })];
    await until('two waiting requests', async () => (await rt()).queue.waiting === 2);
    await assert.rejects(c.completions.create({ model: 'chat', prompt: 'd', max_tokens: 2, user: 'dave' }), (e: ApiErr) => {
      assert.equal(e.status, 429);
      assert.equal(e.code, 'queue_full');
      assert.ok(Number(e.headers?.get('retry-after')) >= 1);
      return true;
    });
    ac.abort();
    const done = await Promise.all(queued);
    assert.ok(done.every((r) => r.choices.length === 1));
    await until('an idle queue', async () => { const r = await rt(); return r.queue.active === 0 && r.queue.waiting === 0; });
    const r = await rt();
    // The long request stopped when its client left: far fewer than its 1000 tokens were generated.
    assert.ok(r.generatedTokens - before < 600, `generated ${r.generatedTokens - before} tokens after the disconnect`);
    assert.equal(r.pid, pid, 'the same worker served everything');
  });

  it('drops a request that is cancelled while it waits in the queue', async () => {
    const ac1 = new AbortController();
    const long = await c.completions.create({ model: 'chat', prompt: 'long', max_tokens: 1000, temperature: 0, stream: true }, { signal: ac1.signal });
    await long[Symbol.asyncIterator]().next();
    const ac2 = new AbortController();
    const waiting = c.completions.create({ model: 'chat', prompt: 'w', max_tokens: 500 }, { signal: ac2.signal });
    await until('one waiting request', async () => (await rt()).queue.waiting === 1);
    ac2.abort();
    await assert.rejects(waiting);
    await until('the waiter to leave the queue', async () => (await rt()).queue.waiting === 0);
    ac1.abort();
    await until('an idle queue', async () => (await rt()).queue.active === 0);
  });
});

describe('llm fairness over HTTP', () => {
  let fx: Fixture;
  let c: OpenAI;
  const rt = async (): Promise<Rt> => ((await c.models.retrieve('chat')) as unknown as { dialogos: Rt }).dialogos;
  before(async () => {
    fx = await withService({ sequences: 1, maxQueue: 8 });
    c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
    await c.completions.create({ model: 'chat', prompt: 'warm', max_tokens: 1 });
  });
  after(async () => { await fx?.cleanup(); });

  it('serves clients round-robin through HTTP: a later client is not stuck behind a busy one', async () => {
    const order: string[] = [];
    const req = (user: string, tag: string) => c.completions.create({ model: 'chat', prompt: tag, max_tokens: 40, temperature: 0, user }).then(() => { order.push(tag); });
    const ac = new AbortController();
    const first = await c.completions.create({ model: 'chat', prompt: 'hold', max_tokens: 1000, temperature: 0, stream: true, user: 'alice' }, { signal: ac.signal });
    await first[Symbol.asyncIterator]().next();
    const a2 = req('alice', 'a2');
    await until('a2 queued', async () => (await rt()).queue.waiting === 1);
    const a3 = req('alice', 'a3');
    await until('a3 queued', async () => (await rt()).queue.waiting === 2);
    const b1 = req('bob', 'b1');
    await until('b1 queued', async () => (await rt()).queue.waiting === 3);
    ac.abort();
    await Promise.all([a2, a3, b1]);
    // First come first served would give a2, a3, b1.
    assert.deepEqual(order, ['a2', 'b1', 'a3']);
  });
});

describe('llm request timeout', () => {
  let fx: Fixture;
  before(async () => { fx = await withService({ sequences: 1, requestTimeoutMs: 300 }, { slow: (p) => writeTinyModel(p, { layers: 4, embd: 256, ff: 768, contextLength: 2048 }) }); });
  after(async () => { await fx?.cleanup(); });

  it('answers 504 when a request runs past --timeout, and serves the next one', async () => {
    const c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
    await c.completions.create({ model: 'slow', prompt: 'warm', max_tokens: 1 }).catch(() => undefined);
    await assert.rejects(c.completions.create({ model: 'slow', prompt: 'x', max_tokens: 1000, temperature: 0 }), (e: ApiErr) => e.status === 504 && /did not finish within 300 ms/.test(e.message));
    assert.equal((await c.completions.create({ model: 'code', prompt: 'y', max_tokens: 1 })).choices.length, 1);
  });
});
