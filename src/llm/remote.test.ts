// Remote models against a second instance of this server, and authentication off loopback.
import assert from 'node:assert/strict';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

type ApiErr = InstanceType<typeof OpenAI.APIError>;

describe('llm remote models', () => {
  let upstream: Fixture;
  let front: Fixture;
  let c: OpenAI;
  before(async () => {
    // The upstream's --listen address requires the token (as one off loopback does); the front uses it
    // as a remote machine's key. Test traffic stays on loopback.
    upstream = await withService({ listen: ['127.0.0.1:0'], requireToken: true });
    front = await withService();
    await mkdir(front.paths.configDir, { recursive: true });
    await writeFile(join(front.dir, 'key'), `${upstream.svc.token}\n`);
    await writeFile(front.paths.remotesFile, JSON.stringify([{ name: 'big', baseUrl: `http://127.0.0.1:${upstream.svc.listenPorts[0]}/v1`, model: 'chat', apiKeyFile: join(front.dir, 'key') }]));
    c = new OpenAI({ baseURL: front.svc.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => { await front?.cleanup(); await upstream?.cleanup(); });

  it('lists the remote as one more model and proxies chat, streams and embeddings', async () => {
    const ids = (await c.models.list()).data.map((m) => m.id);
    assert.deepEqual(ids, ['chat', 'code', 'big']);
    const upstreamClient = new OpenAI({ baseURL: upstream.svc.baseUrl, apiKey: 'x' });
    const direct = await upstreamClient.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'r' }], max_tokens: 6, temperature: 0 });
    const r = await c.chat.completions.create({ model: 'big', messages: [{ role: 'user', content: 'r' }], max_tokens: 6, temperature: 0 });
    assert.equal(r.choices[0]!.message.content, direct.choices[0]!.message.content);
    let text = '';
    const chunks = await c.chat.completions.create({ model: 'big', messages: [{ role: 'user', content: 'r' }], max_tokens: 6, temperature: 0, stream: true });
    for await (const ch of chunks) text += ch.choices[0]?.delta.content ?? '';
    assert.equal(text, direct.choices[0]!.message.content);
    const e = await c.embeddings.create({ model: 'big', input: 'abc' });
    assert.equal(e.data[0]!.embedding.length, 64);
  });

  it('passes the remote\'s errors through and reports an unreachable remote as 502', async () => {
    await assert.rejects(c.chat.completions.create({ model: 'big', messages: [{ role: 'user', content: 'x '.repeat(900) }], max_tokens: 5 }),
      (e: ApiErr) => e.status === 400 && e.code === 'context_length_exceeded');
    await writeFile(front.paths.remotesFile, JSON.stringify([{ name: 'gone', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' }]));
    await assert.rejects(c.chat.completions.create({ model: 'gone', messages: [{ role: 'user', content: 'x' }] }),
      (e: ApiErr) => e.status === 502 && /Remote model "gone" at http:\/\/127\.0\.0\.1:1\/v1 did not answer/.test(e.message));
  });

  it('needs the bearer token where it is required, and writes it 0600', async () => {
    const st = await stat(upstream.paths.tokenFile);
    assert.equal(st.mode & 0o777, 0o600);
    const url = `http://127.0.0.1:${upstream.svc.listenPorts[0]}/v1`;
    await assert.rejects(new OpenAI({ baseURL: url, apiKey: 'wrong', maxRetries: 0 }).models.list(), (e: ApiErr) => e.status === 401 && e.code === 'invalid_api_key');
    const raw = await fetch(`${url}/models`);
    assert.equal(raw.status, 401);
    assert.match(((await raw.json()) as { error: { message: string } }).error.message, /Missing bearer token/);
    assert.ok((await new OpenAI({ baseURL: url, apiKey: upstream.svc.token!, maxRetries: 0 }).models.list()).data.length >= 2);
    // The loopback listener and the socket stay open to local clients without a token.
    assert.equal((await fetch(`${upstream.svc.baseUrl}/models`)).status, 200);
  });
});
