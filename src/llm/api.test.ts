// The API against the official openai client: models, chat (plain and streamed), completions,
// embeddings, JSON-schema output, tool calls, and the errors it answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

describe('llm API with the openai client', () => {
  let fx: Fixture;
  let c: OpenAI;
  before(async () => {
    fx = await withService();
    c = new OpenAI({ baseURL: fx.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => { await fx?.cleanup(); });

  it('lists models with capabilities: chat template = chat, none = code model', async () => {
    const list = (await c.models.list()).data as unknown as { id: string; capabilities: { chat: boolean; embeddings: boolean; tools: boolean } }[];
    const by = Object.fromEntries(list.map((m) => [m.id, m.capabilities]));
    assert.deepEqual(by.chat, { chat: true, embeddings: true, tools: true });
    assert.deepEqual(by.code, { chat: false, embeddings: true, tools: false });
  });

  it('answers a chat completion with usage and finish_reason', async () => {
    const r = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, temperature: 0 });
    assert.equal(r.object, 'chat.completion');
    assert.equal(r.choices[0]!.message.role, 'assistant');
    assert.equal(typeof r.choices[0]!.message.content, 'string');
    assert.ok(['stop', 'length'].includes(r.choices[0]!.finish_reason));
    assert.ok(r.usage!.prompt_tokens > 0 && r.usage!.completion_tokens > 0 && r.usage!.completion_tokens <= 8 + 3, 'max_tokens, plus at most 3 to finish a UTF-8 character');
    assert.equal(r.usage!.total_tokens, r.usage!.prompt_tokens + r.usage!.completion_tokens);
  });

  it('streams a chat completion with SSE; the text equals the non-streamed one at temperature 0', async () => {
    const req = { model: 'chat', messages: [{ role: 'user' as const, content: 'stream me' }], max_tokens: 12, temperature: 0 };
    const plain = await c.chat.completions.create(req);
    const s = await c.chat.completions.create({ ...req, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let chunks = 0;
    for await (const ch of s) {
      chunks++;
      text += ch.choices[0]?.delta.content ?? '';
      finish = ch.choices[0]?.finish_reason ?? finish;
      usage = ch.usage ?? usage;
    }
    assert.ok(chunks >= 3, `expected several chunks, got ${chunks}`);
    assert.equal(text, plain.choices[0]!.message.content);
    assert.equal(finish, plain.choices[0]!.finish_reason);
    assert.equal(usage?.completion_tokens, plain.usage?.completion_tokens);
  });

  it('serves chat on a model without a template (plain template) and text completions', async () => {
    const r = await c.chat.completions.create({ model: 'code', messages: [{ role: 'user', content: 'x' }], max_tokens: 4 });
    assert.ok(r.usage!.completion_tokens >= 1);
    const t = await c.completions.create({ model: 'code', prompt: 'function f(', max_tokens: 5, temperature: 0 });
    assert.equal(t.object, 'text_completion');
    assert.ok(t.usage!.completion_tokens >= 5 && t.usage!.completion_tokens <= 8);
    assert.equal(t.choices[0]!.finish_reason, 'length');
    const s = await c.completions.create({ model: 'code', prompt: 'function f(', max_tokens: 5, temperature: 0, stream: true });
    let text = '';
    for await (const ch of s) text += ch.choices[0]?.text ?? '';
    assert.equal(text, t.choices[0]!.text);
  });

  it('returns embeddings (base64 by default in the client, float on request)', async () => {
    const e = await c.embeddings.create({ model: 'code', input: ['alpha', 'beta gamma'] });
    assert.equal(e.data.length, 2);
    assert.equal(e.data[0]!.embedding.length, 64);
    assert.ok(e.data[0]!.embedding.every((x) => Number.isFinite(x)));
    assert.notDeepEqual(e.data[0]!.embedding, e.data[1]!.embedding);
    const f = await c.embeddings.create({ model: 'code', input: 'alpha', encoding_format: 'float' });
    assert.deepEqual(f.data[0]!.embedding.map((x) => x.toFixed(4)), e.data[0]!.embedding.map((x) => x.toFixed(4)));
    assert.ok(e.usage.prompt_tokens > 0);
  });

  it('enforces a JSON schema by grammar: the output parses and matches', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' }, kind: { enum: ['a', 'b', 'c'] }, n: { type: 'integer' } }, required: ['ok', 'kind', 'n'] };
    for (const seed of [1, 2, 3]) {
      const r = await c.chat.completions.create({
        model: 'chat', messages: [{ role: 'user', content: 'json please' }], max_tokens: 200, seed,
        response_format: { type: 'json_schema', json_schema: { name: 't', schema } },
      });
      const v = JSON.parse(r.choices[0]!.message.content!) as { ok: unknown; kind: unknown; n: unknown };
      assert.equal(typeof v.ok, 'boolean');
      assert.ok(['a', 'b', 'c'].includes(v.kind as string));
      // llama.cpp's integer grammar allows an exponent (1e5 is an integer in JSON Schema); JS may overflow it.
      assert.match(r.choices[0]!.message.content!, /"n"\s*:\s*-?\d+([eE]\+?\d+)?\s*[,}]/);
      assert.equal(typeof v.n, 'number');
      assert.equal(r.choices[0]!.finish_reason, 'stop');
    }
    const j = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'json' }], max_tokens: 300, temperature: 0, response_format: { type: 'json_object' } });
    if (j.choices[0]!.finish_reason === 'stop') assert.doesNotThrow(() => JSON.parse(j.choices[0]!.message.content!));
    else assert.match(j.choices[0]!.message.content!, /^\s*[{[]/);
  });

  it('returns tool calls whose arguments match the function parameters', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      // Bounded types only: a random-weights model can write digits until max_tokens runs out.
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { unit: { enum: ['c', 'f'] }, today: { type: 'boolean' } }, required: ['unit', 'today'] } } },
      { type: 'function', function: { name: 'noop', parameters: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } } },
    ];
    const forced = await c.chat.completions.create({
      model: 'chat', messages: [{ role: 'user', content: 'weather' }], max_tokens: 200, tools, tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    assert.equal(forced.choices[0]!.finish_reason, 'tool_calls');
    const call = forced.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(call.function.name, 'get_weather');
    const args = JSON.parse(call.function.arguments) as { unit: string; today: boolean };
    assert.ok(['c', 'f'].includes(args.unit) && typeof args.today === 'boolean');
    const auto = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'anything' }], max_tokens: 200, tools });
    const a = auto.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.ok(['get_weather', 'noop'].includes(a.function.name));
    assert.equal(typeof JSON.parse(a.function.arguments), 'object');
    let streamed: { name?: string; arguments?: string } | undefined;
    let streamFinish: string | null = null;
    for await (const ch of await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'weather' }], max_tokens: 200, tools, tool_choice: 'required', stream: true })) {
      const tc = ch.choices[0]?.delta.tool_calls?.[0];
      if (tc) streamed = { name: tc.function?.name, arguments: tc.function?.arguments };
      streamFinish = ch.choices[0]?.finish_reason ?? streamFinish;
    }
    assert.equal(streamFinish, 'tool_calls');
    assert.ok(['get_weather', 'noop'].includes(streamed!.name!));
    assert.equal(typeof JSON.parse(streamed!.arguments!), 'object');
    const none = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }], max_tokens: 3, tools, tool_choice: 'none' });
    assert.equal(none.choices[0]!.message.tool_calls, undefined);
  });

  it('answers a prompt longer than the context with 400 context_length_exceeded and the numbers', async () => {
    await assert.rejects(c.chat.completions.create({ model: 'code', messages: [{ role: 'user', content: 'word '.repeat(900) }], max_tokens: 10 }), (e: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(e.status, 400);
      assert.equal(e.code, 'context_length_exceeded');
      assert.match(e.message, /maximum context length is 1024 tokens.*requested \d+ tokens/);
      return true;
    });
    await assert.rejects(
      c.chat.completions.create({ model: 'code', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5000, stream: true }),
      (e: InstanceType<typeof OpenAI.APIError>) => e.status === 400 && e.code === 'context_length_exceeded',
    );
  });

  it('answers an unknown model with 404 model_not_found naming the models there are', async () => {
    await assert.rejects(c.chat.completions.create({ model: 'gpt-17', messages: [{ role: 'user', content: 'hi' }] }), (e: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(e.status, 404);
      assert.equal(e.code, 'model_not_found');
      assert.match(e.message, /"gpt-17" does not exist; available: "chat", "code"/);
      return true;
    });
  });
});
