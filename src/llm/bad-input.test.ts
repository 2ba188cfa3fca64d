// Bad input of every kind gets a specific 4xx in OpenAI's error shape, and the service keeps serving.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';

interface Answer { status: number; body: { error?: { message: string; type: string; param: string | null; code: string | null } } & Record<string, unknown>; headers: Record<string, unknown> }

/** One request over the unix socket (the local, unauthenticated way in). */
function call(socket: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Answer['body'] = {};
        try { parsed = JSON.parse(text) as Answer['body']; } catch { /* not JSON: the test asserts */ }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('llm API bad input', () => {
  let fx: Fixture;
  before(async () => { fx = await withService(); });
  after(async () => { await fx?.cleanup(); });

  const chat = (o: Record<string, unknown>) => JSON.stringify({ model: 'code', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2, ...o });
  const table: { what: string; method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string>; status: number; code: string | null; message: RegExp }[] = [
    { what: 'malformed JSON', body: '{"model": "code", "messages": [', status: 400, code: 'invalid_json', message: /could not parse the JSON body/ },
    { what: 'binary garbage', body: randomBytes(300), status: 400, code: 'invalid_json', message: /UTF-8|parse the JSON/ },
    { what: 'empty body', body: '', status: 400, code: 'invalid_json', message: /empty/ },
    { what: 'a JSON array', body: '[1,2]', status: 400, code: 'invalid_type', message: /must be a JSON object, got an array/ },
    { what: 'messages of the wrong type', body: JSON.stringify({ model: 'code', messages: 'hi' }), status: 400, code: 'invalid_type', message: /"messages"/ },
    { what: 'a missing model', body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }), status: 400, code: 'missing_required_parameter', message: /Missing required parameter: "model"/ },
    { what: 'a bad role', body: chat({ messages: [{ role: 'wizard', content: 'x' }] }), status: 400, code: 'invalid_value', message: /"messages\[0\]\.role"/ },
    { what: 'absurd max_tokens', body: chat({ max_tokens: 1e12 }), status: 400, code: 'invalid_value', message: /"max_tokens": .*at most 1000000/ },
    { what: 'negative max_tokens', body: chat({ max_tokens: -5 }), status: 400, code: 'invalid_value', message: /"max_tokens"/ },
    { what: 'max_tokens past the context', body: chat({ max_tokens: 999_999 }), status: 400, code: 'context_length_exceeded', message: /maximum context length is 1024 tokens/ },
    { what: 'a string temperature', body: chat({ temperature: 'hot' }), status: 400, code: 'invalid_type', message: /"temperature"/ },
    { what: 'n > 1', body: chat({ n: 3 }), status: 400, code: 'invalid_value', message: /only n=1/ },
    { what: 'an unknown model', body: chat({ model: 'nope' }), status: 404, code: 'model_not_found', message: /"nope" does not exist/ },
    {
      what: 'an unsupported schema', body: chat({ response_format: { type: 'json_schema', json_schema: { schema: { type: 'object', properties: { a: { type: 'wat' } } } } } }),
      status: 400, code: 'invalid_schema', message: /JSON schema/,
    },
    {
      what: 'a regex pattern the grammar would drop', body: chat({ response_format: { type: 'json_schema', json_schema: { schema: { type: 'string', pattern: 'a+' } } } }),
      status: 400, code: 'invalid_schema', message: /"\/pattern": "pattern" cannot be enforced/,
    },
    {
      what: 'a dangling $ref in tool parameters', body: chat({ tools: [{ type: 'function', function: { name: 'a', parameters: { $ref: '#/$defs/x' } } }] }),
      status: 400, code: 'invalid_schema', message: /tools\[0\]\.function\.parameters.*does not name an entry/,
    },
    {
      what: 'tool_choice naming no tool', body: chat({ tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: { type: 'function', function: { name: 'b' } } }),
      status: 400, code: null, message: /names the function "b"/,
    },
    { what: 'text/plain', body: 'hi', headers: { 'content-type': 'text/plain' }, status: 400, code: 'unsupported_media_type', message: /Content-Type "text\/plain"/ },
    { what: 'an unknown route', path: '/v1/nothing', status: 404, code: 'not_found', message: /Unknown route POST \/v1\/nothing/ },
    { what: 'a malformed model id in the path', method: 'GET', path: '/v1/models/%E0%A4%A', status: 400, code: null, message: /not valid percent-encoding/ },
    { what: 'GET on a POST route', method: 'GET', status: 405, code: 'method_not_allowed', message: /use POST/ },
    { what: 'an oversized body', body: Buffer.alloc(17 * 1024 * 1024, 0x20), status: 413, code: 'payload_too_large', message: /limit is/ },
  ];
  for (const t of table) {
    it(`answers ${t.what} with ${t.status} ${t.code ?? ''}`, async () => {
      const r = await call(fx.svc.socket, t.method ?? 'POST', t.path ?? '/v1/chat/completions', t.body, t.headers);
      assert.equal(r.status, t.status, JSON.stringify(r.body));
      assert.equal(r.body.error?.code, t.code);
      assert.match(r.body.error!.message, t.message);
      assert.equal(typeof r.body.error!.type, 'string');
    });
  }

  it('survives random bytes and random JSON on every route, then still serves', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('/v1/chat/completions', '/v1/completions', '/v1/embeddings'),
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.json().map((s) => Buffer.from(s)),
        fc.record({ model: fc.constantFrom('code', 'x'), messages: fc.anything(), prompt: fc.anything(), input: fc.anything(), max_tokens: fc.anything() })
          .map((o) => Buffer.from(JSON.stringify(o) ?? 'null')),
      ),
      async (path, body) => {
        const r = await call(fx.svc.socket, 'POST', path, body);
        assert.ok((r.status >= 400 && r.status < 500) || r.status === 200, `status ${r.status}: ${JSON.stringify(r.body)}`);
        if (r.status !== 200) assert.equal(typeof r.body.error?.message, 'string');
      },
    ), { numRuns: 60 });
    const ok = await call(fx.svc.socket, 'POST', '/v1/completions', JSON.stringify({ model: 'code', prompt: 'a', max_tokens: 2 }));
    assert.equal(ok.status, 200);
  });
});
