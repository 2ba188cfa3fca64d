// Log-probabilities on a real (tiny) model through the official openai client: /v1/completions (legacy
// shape, echo scoring with max_tokens 0), /v1/chat/completions (logprobs + top_logprobs), and the model's
// own distribution behind them (greedy picks its top token; echo and generation agree).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

type Legacy = { tokens: string[]; token_logprobs: (number | null)[]; top_logprobs: (Record<string, number> | null)[]; text_offset: number[] };

describe('logprobs with the openai client', () => {
  let fx: Fixture;
  let c: OpenAI;
  before(async () => {
    fx = await withService();
    c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => { await fx?.cleanup(); });

  it('completions: one logprob per generated token, up to N+1 alternatives, greedy = the top one', async () => {
    const r = await c.completions.create({ model: 'code', prompt: 'function f(', max_tokens: 6, temperature: 0, logprobs: 3 });
    const lp = r.choices[0]!.logprobs as Legacy;
    assert.ok(lp, 'logprobs present');
    assert.equal(lp.tokens.length, r.usage!.completion_tokens);
    assert.equal(lp.token_logprobs.length, lp.tokens.length);
    assert.deepEqual(lp.text_offset, lp.text_offset.slice().sort((a, b) => a - b), 'offsets grow');
    assert.equal(lp.text_offset[0], 0);
    lp.top_logprobs.forEach((top, i) => {
      const mine = lp.token_logprobs[i]!;
      assert.ok(mine < 0 && Number.isFinite(mine));
      const alts = Object.values(top!);
      assert.ok(alts.length >= 1 && alts.length <= 4, `${alts.length} alternatives`);
      assert.ok(alts.reduce((s, x) => s + Math.exp(x), 0) <= 1 + 1e-6, 'a distribution');
      // temperature 0 and no penalties: the chosen token is the most likely one under the model.
      assert.ok(Math.abs(Math.max(...alts) - mine) < 1e-6, `position ${i}: chose ${mine}, best ${Math.max(...alts)}`);
    });
  });

  it('completions: echo + logprobs + max_tokens 0 scores the prompt without generating', async () => {
    const prompt = 'const total = price * count;';
    const r = await c.completions.create({ model: 'code', prompt, max_tokens: 0, echo: true, logprobs: 0 });
    const ch = r.choices[0]!;
    assert.equal(ch.text, prompt);
    assert.equal(ch.finish_reason, 'length');
    assert.equal(r.usage!.completion_tokens, 0);
    const lp = ch.logprobs as Legacy;
    assert.equal(lp.tokens.join(''), prompt);
    assert.equal(lp.tokens.length, r.usage!.prompt_tokens - 1, 'every prompt token but BOS');
    for (const [i, x] of lp.token_logprobs.entries()) {
      assert.ok(typeof x === 'number' && x < 0, `token ${i}: ${x}`);
      assert.deepEqual(Object.keys(lp.top_logprobs[i]!), [lp.tokens[i]], 'logprobs 0: only the token itself');
      assert.equal(prompt.slice(lp.text_offset[i], lp.text_offset[i]! + lp.tokens[i]!.length), lp.tokens[i]);
    }
    // The same prompt scored while generating one token: the same prompt figures, and the completion's
    // logprob equals what a generation without echo reports for that token.
    const g = await c.completions.create({ model: 'code', prompt, max_tokens: 1, temperature: 0, echo: true, logprobs: 2 });
    const glp = g.choices[0]!.logprobs as Legacy;
    assert.deepEqual(glp.token_logprobs.slice(0, lp.tokens.length).map((x) => x!.toFixed(6)), lp.token_logprobs.map((x) => x!.toFixed(6)));
    const plain = await c.completions.create({ model: 'code', prompt, max_tokens: 1, temperature: 0, logprobs: 2 });
    const plp = plain.choices[0]!.logprobs as Legacy;
    assert.equal(glp.token_logprobs.at(-1)!.toFixed(6), plp.token_logprobs[0]!.toFixed(6));
    assert.equal(glp.text_offset.at(-1), prompt.length);
  });

  it('scores a likelier text higher: the model\'s own greedy continuation beats a reversed one', async () => {
    const prompt = 'let x = ';
    const g = await c.completions.create({ model: 'code', prompt, max_tokens: 8, temperature: 0, logprobs: 0 });
    const own = (g.choices[0]!.logprobs as Legacy).token_logprobs.reduce<number>((s, x) => s + x!, 0);
    assert.ok(own > -8 * 4, `greedy tokens of a peaked random model: ${own}`);
    const text = 'zzqx!#~^';
    const e = await c.completions.create({ model: 'code', prompt: prompt + text, max_tokens: 0, echo: true, logprobs: 0 });
    const lp = e.choices[0]!.logprobs as Legacy;
    const tail = lp.token_logprobs.slice(lp.text_offset.findIndex((o) => o >= prompt.length)).reduce<number>((s, x) => s + x!, 0);
    assert.ok(own > tail, `greedy ${own} vs an arbitrary text ${tail}`);
  });

  it('chat: logprobs true + top_logprobs N gives the content tokens with bytes and N alternatives', async () => {
    const r = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 6, temperature: 0, logprobs: true, top_logprobs: 2 });
    const content = r.choices[0]!.logprobs!.content!;
    assert.ok(content.length >= 1);
    assert.equal(content.length, r.usage!.completion_tokens);
    for (const t of content) {
      assert.ok(t.logprob <= 0);
      assert.equal(t.top_logprobs.length, 2);
      assert.ok(Math.abs(t.top_logprobs[0]!.logprob - t.logprob) < 1e-6, 'greedy: the top alternative');
      assert.ok(Array.isArray(t.bytes) && t.bytes.length >= 0);
    }
    const bytes = Buffer.from(content.flatMap((t) => t.bytes!));
    assert.equal(bytes.toString('utf8'), r.choices[0]!.message.content, 'the bytes make up the message');
    const none = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 });
    assert.equal(none.choices[0]!.logprobs, null, 'not asked, not given');
  });

  it('refuses what it cannot serve: logprobs with stream, top_logprobs without logprobs, logprobs above 5', async () => {
    const bad = async (p: Promise<unknown>, param: string, msg: RegExp) => assert.rejects(p, (e: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(e.status, 400);
      assert.equal(e.param, param);
      assert.match(e.message, msg);
      return true;
    });
    await bad(c.completions.create({ model: 'code', prompt: 'x', logprobs: 1, stream: true }), 'logprobs', /cannot be streamed/);
    await bad(c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], logprobs: true, stream: true }), 'logprobs', /cannot be streamed/);
    await bad(c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], top_logprobs: 2 }), 'top_logprobs', /needs "logprobs": true/);
    await bad(c.completions.create({ model: 'code', prompt: 'x', logprobs: 6 }), 'logprobs', /at most 5/);
    await bad(c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 21 }), 'top_logprobs', /at most 20/);
  });
});
