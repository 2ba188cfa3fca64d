// Model mode end to end over HTTP: an OpenAI-style server that streams a tool call, then an answer
// built from the tool's result, with the dialog's real client, tools and citation check in between.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { grepCodeTools } from './code-grep.js';
import { createDialog } from './dialog.js';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { httpModelClient } from './model-client.js';
import { fixtureTree } from '../testkit/dialog/fixtures.js';
import type { ChatMessage } from './types.js';

let fx: Awaited<ReturnType<typeof fixtureTree>>;
let server: Server;
let base = '';
before(async () => {
  fx = await fixtureTree();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.url === '/v1/models') return res.end(JSON.stringify({ data: [{ id: 'dialogos-mini', capabilities: { chat: false } }, { id: 'remote-7b', capabilities: { chat: true, tools: true } }] }));
      const r = JSON.parse(body) as { model: string; messages: ChatMessage[]; tools: Array<{ function: { name: string } }> };
      res.setHeader('content-type', 'text/event-stream');
      const send = (delta: unknown) => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`);
      const last = r.messages.at(-1)!;
      if (last.role === 'user') {
        assert.ok(r.tools.some((t) => t.function.name === 'code_definition'));
        send({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'code_definition', arguments: '{"name":"writeThing"}' } }] });
      } else {
        // Answer from the tool's result, as a model would: its first path:line.
        const cite = /(src\/\S+\.ts:\d+)/.exec(last.content ?? '')?.[1] ?? 'nowhere';
        for (const part of ['writeThing is defined ', `at ${cite}.`]) send({ content: part });
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await fx.dispose();
});

test('a chat model picked over dialogos-mini calls a tool over HTTP and its streamed answer is cited', async () => {
  const d = createDialog({ code: grepCodeTools(fx.root), os: memoryOs(), model: httpModelClient(base) });
  assert.deepEqual(await d.mode(), { mode: 'remote-7b', why: 'chat model remote-7b' });
  const deltas: string[] = [];
  const a = await d.handle('where is writeThing?', { onDelta: (t) => deltas.push(t) });
  assert.equal(a.mode, 'remote-7b');
  assert.equal(a.answer, 'writeThing is defined at src/store/store.ts:5.');
  assert.deepEqual(deltas, ['writeThing is defined ', 'at src/store/store.ts:5.']);
  assert.deepEqual(a.citations, [{ path: 'src/store/store.ts', line: 5 }]);
});
