// Every OpenAI request field is served or refused, never ignored: a 400 naming the field and its value
// for what local models do not do (an unknown field too, as OpenAI answers), and a visible effect for the
// fields they implement (penalties, logit_bias, the identity and no-op values).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { checkLocalFields, servedFields } from './api/fields.js';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }

describe('OpenAI request fields on local models', () => {
  let fx: Fixture;
  let c: OpenAI;
  const post = async (path: string, body: Record<string, unknown>): Promise<{ status: number; body: ErrorBody & Record<string, unknown> }> => {
    const r = await fetch(`${fx.svc.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as ErrorBody & Record<string, unknown> };
  };
  before(async () => {
    fx = await withService();
    c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => { await fx?.cleanup(); });

  const chat = (o: Record<string, unknown>) => ({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2, ...o });
  const cmpl = (o: Record<string, unknown>) => ({ model: 'code', prompt: 'hi', max_tokens: 2, ...o });
  const refused: [string, string, Record<string, unknown>, string][] = [
    ['/chat/completions', 'functions', chat({ functions: [{ name: 'f' }] }), 'use "tools"'],
    ['/chat/completions', 'function_call', chat({ function_call: 'auto' }), 'use "tool_choice"'],
    ['/chat/completions', 'modalities', chat({ modalities: ['text', 'audio'] }), 'text only'],
    ['/chat/completions', 'audio', chat({ audio: { voice: 'alloy', format: 'mp3' } }), 'no audio'],
    ['/chat/completions', 'prediction', chat({ prediction: { type: 'content', content: 'x' } }), 'predicted outputs'],
    ['/chat/completions', 'reasoning_effort', chat({ reasoning_effort: 'high' }), 'reasoning'],
    ['/chat/completions', 'verbosity', chat({ verbosity: 'low' }), 'verbosity'],
    ['/chat/completions', 'web_search_options', chat({ web_search_options: {} }), 'search the web'],
    ['/chat/completions', 'service_tier', chat({ service_tier: 'flex' }), 'one service tier'],
    ['/chat/completions', 'store', chat({ store: true }), 'not stored'],
    ['/chat/completions', 'metadata', chat({ metadata: { a: 'b' } }), 'no metadata'],
    ['/chat/completions', 'prompt_cache_key', chat({ prompt_cache_key: 'k' }), 'no prompt cache'],
    ['/chat/completions', 'safety_identifier', chat({ safety_identifier: 'u1' }), 'send "user"'],
    ['/chat/completions', 'n', chat({ n: 2 }), 'only n=1'],
    ['/completions', 'n', cmpl({ n: 2 }), 'only n=1'],
    ['/completions', 'best_of', cmpl({ best_of: 3 }), 'best_of above 1'],
    ['/completions', 'suffix', cmpl({ suffix: '}' }), 'fill-in-the-middle'],
    ['/completions', 'prompt', cmpl({ prompt: ['a', 'b'] }), 'only one prompt'],
    ['/embeddings', 'dimensions', { model: 'code', input: 'x', dimensions: 8 }, 'omit it'],
  ];
  for (const [path, field, body, why] of refused) {
    it(`refuses ${field} on ${path} with 400 naming it and its value`, async () => {
      const r = await post(path, body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.param, field);
      assert.equal(r.body.error.type, 'invalid_request_error');
      assert.ok(r.body.error.message.includes(`"${field}": ${JSON.stringify(body[field]).slice(0, 40)}`), r.body.error.message);
      assert.ok(r.body.error.message.includes(why), r.body.error.message);
    });
  }

  it('refuses an unknown field as OpenAI does, on every route', async () => {
    const routes = [
      ['/chat/completions', chat({ temprature: 0.5 })], ['/completions', cmpl({ temprature: 0.5 })], ['/embeddings', { model: 'code', input: 'x', temprature: 1 }],
    ] as const;
    for (const [path, body] of routes) {
      const r = await post(path, body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.message, 'Unrecognized request argument supplied: temprature');
      assert.equal(r.body.error.param, 'temprature');
      assert.equal(r.body.error.code, 'unknown_parameter');
    }
  });

  it('serves the values that change nothing: n 1, best_of 1, empty suffix, text modality, parallel_tool_calls, auto tier, store false', async () => {
    for (const [path, body] of [
      ['/chat/completions', chat({ n: 1, modalities: ['text'], parallel_tool_calls: false, service_tier: 'auto', store: false, logprobs: false, user: 'me', seed: 1, stop: ['\n'] })],
      ['/completions', cmpl({ n: 1, best_of: 1, suffix: '', echo: false })],
      ['/embeddings', { model: 'code', input: 'x', encoding_format: 'float', user: 'me' }],
    ] as const) {
      const r = await post(path, body);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    }
  });

  it('frequency_penalty and presence_penalty change the greedy text and cut repeats', async () => {
    const run = (p: number) => c.completions.create({ model: 'code', prompt: 'the', max_tokens: 40, temperature: 0, logprobs: 0, frequency_penalty: p, presence_penalty: p });
    const [plain, penal] = [await run(0), await run(2)];
    const toks = (r: OpenAI.Completion) => (r.choices[0]!.logprobs!.tokens ?? []);
    assert.notEqual(penal.choices[0]!.text, plain.choices[0]!.text, 'penalties must change a greedy generation');
    assert.ok(new Set(toks(penal)).size > new Set(toks(plain)).size, `distinct tokens: ${new Set(toks(penal)).size} vs ${new Set(toks(plain)).size}`);
    const chatRun = (p: number) => c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], max_tokens: 30, temperature: 0, frequency_penalty: p });
    assert.notEqual((await chatRun(2)).choices[0]!.message.content, (await chatRun(0)).choices[0]!.message.content);
    const r = await post('/completions', cmpl({ presence_penalty: 3 }));
    assert.equal(r.status, 400);
    assert.match(r.body.error.message, /"presence_penalty": must be at most 2/);
  });

  it('logit_bias +100 forces a token, -100 bans the greedy one, a key outside the vocabulary is a 400', async () => {
    // Token 68 of the testkit vocabulary is the byte token <0x41>, "A".
    const forced = await c.completions.create({ model: 'code', prompt: 'the', max_tokens: 5, temperature: 0, logit_bias: { 68: 100 } });
    assert.equal(forced.choices[0]!.text, 'AAAAA');
    // "A" (68) and "B" (69) both lifted: the model picks one; banning that one leaves the other.
    const pick = async (bias: Record<number, number>) => (await c.completions.create({ model: 'code', prompt: 'the', max_tokens: 1, temperature: 0, logit_bias: bias })).choices[0]!.text;
    const first = await pick({ 68: 30, 69: 30 });
    assert.ok(['A', 'B'].includes(first), first);
    const banned = first === 'A' ? 68 : 69;
    assert.equal(await pick({ 68: 30, 69: 30, [banned]: -100 }), first === 'A' ? 'B' : 'A');
    const bad = await post('/completions', cmpl({ logit_bias: { 999999: 5 } }));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, 'logit_bias');
    assert.match(bad.body.error.message, /"999999": not a token id of this model \(0\.\.\d+\)/);
    const far = await post('/completions', cmpl({ logit_bias: { 5: 101 } }));
    assert.equal(far.status, 400);
    assert.match(far.body.error.message, /"logit_bias\.5": must be at most 100/);
  });

  it('tools: a pattern or bound is refused for "strict": true, dropped from the grammar otherwise (OpenAI\'s non-strict tools)', async () => {
    const params = { type: 'object', properties: { id: { type: 'string', pattern: '^g[0-9]+$', maxLength: 8 }, n: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['id', 'n'] };
    const tool = (strict: boolean) => ({ type: 'function', function: { name: 'pick', parameters: params, strict } });
    const refusedStrict = await post('/chat/completions', chat({ tools: [tool(true)], max_tokens: 60 }));
    assert.equal(refusedStrict.status, 400);
    assert.equal(refusedStrict.body.error.code, 'invalid_schema');
    assert.match(refusedStrict.body.error.message, /"pattern" cannot be enforced/);
    const r = await post('/chat/completions', chat({ tools: [tool(false)], max_tokens: 200, seed: 1 }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const call = (r.body as unknown as { choices: { finish_reason: string; message: { tool_calls?: { function: { name: string; arguments: string } }[] } }[] }).choices[0]!;
    assert.equal(call.finish_reason, 'tool_calls');
    const args = JSON.parse(call.message.tool_calls![0]!.function.arguments) as { id: unknown; n: unknown };
    assert.equal(typeof args.id, 'string', 'the shape is still enforced');
    assert.ok((args.id as string).length <= 8, 'and the length');
    assert.equal(typeof args.n, 'number');
  });

  it('the table names every field of the zod schemas (none is accepted by the types and then forgotten)', async () => {
    const { chatRequestSchema, completionRequestSchema, embeddingRequestSchema } = await import('./api/schemas.js');
    for (const [route, schema] of [['chat', chatRequestSchema], ['completion', completionRequestSchema], ['embedding', embeddingRequestSchema]] as const) {
      const known = Object.keys(schema.shape).sort();
      const served = servedFields(route);
      for (const k of known) assert.ok(served.includes(k), `${route}: "${k}" is in the schema but not in the field table`);
    }
    assert.throws(() => checkLocalFields('chat', { model: 'm', messages: [], top_logprobs: 1 }), /needs "logprobs": true/);
  });
});
