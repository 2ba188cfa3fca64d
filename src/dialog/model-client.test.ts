// The SSE side of the OpenAI protocol: a tiny local server that streams the way the llm service and
// OpenAI do (content deltas, tool-call deltas split across events), and its error shape.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { discoverBaseUrl, discoveredModelClient, httpModelClient } from './model-client.js';

let server: Server;
let base = '';
const bodies: unknown[] = [];
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.url === '/v1/models') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ object: 'list', data: [{ id: 'dialogos-mini', capabilities: { chat: false, embeddings: true, tools: false } }, { id: 'remote' }] }));
      }
      const j = JSON.parse(body) as { model: string };
      bodies.push(j);
      if (j.model === 'missing') { res.statusCode = 404; return res.end(JSON.stringify({ error: { message: 'The model "missing" does not exist', type: 'invalid_request_error' } })); }
      res.setHeader('content-type', 'text/event-stream');
      const ev = (delta: unknown) => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`);
      ev({ role: 'assistant', content: 'Look' });
      ev({ content: 'ing.' });
      ev({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'code_def', arguments: '{"na' } }] });
      ev({ tool_calls: [{ index: 0, function: { name: 'inition', arguments: 'me":"x"}' } }] });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('models carry capabilities; an endpoint that does not say is taken to chat', async () => {
  assert.deepEqual(await httpModelClient(base).models(), [
    { id: 'dialogos-mini', chat: false, embeddings: true, tools: false },
    { id: 'remote', chat: true, embeddings: false, tools: true },
  ]);
});

test('streamed content and split tool-call deltas are put back together', async () => {
  const deltas: string[] = [];
  const r = await httpModelClient(base).chat({ model: 'remote', messages: [{ role: 'user', content: 'hi' }] }, (d) => deltas.push(d));
  assert.deepEqual(deltas, ['Look', 'ing.']);
  assert.equal(r.content, 'Looking.');
  assert.deepEqual(r.toolCalls, [{ id: 'call_1', type: 'function', function: { name: 'code_definition', arguments: '{"name":"x"}' } }]);
  assert.equal((bodies.at(-1) as { stream: boolean }).stream, true);
});

test('an error answer becomes a ModelError with the server\'s message; a dead endpoint too', async () => {
  await assert.rejects(httpModelClient(base).chat({ model: 'missing', messages: [] }), { name: 'ModelError', message: /answered 404 to \/chat\/completions: The model "missing" does not exist/ });
  await assert.rejects(httpModelClient('http://127.0.0.1:9/v1').models(), { name: 'ModelError', message: /Cannot reach the model endpoint/ });
});

test('the base URL comes from <runDir>/llm.json; none without it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlg-llm-'));
  try {
    assert.equal(await discoverBaseUrl(dir), null);
    await writeFile(join(dir, 'llm.json'), JSON.stringify({ baseUrl: 'http://127.0.0.1:4242/v1/', socket: '/x' }));
    assert.equal(await discoverBaseUrl(dir), 'http://127.0.0.1:4242/v1');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a client found through llm.json names the missing service, then finds it once the file appears', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlg-llm-'));
  try {
    const client = discoveredModelClient(dir);
    await assert.rejects(client.models(), { name: 'ModelError', message: /The llm service is not up \(no .*llm\.json yet\); it is used as soon as it is/ });
    await writeFile(join(dir, 'llm.json'), JSON.stringify({ baseUrl: base }));
    assert.ok((await client.models()).length > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
