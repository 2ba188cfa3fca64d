// The dialog's model agent against the project's own llm service, end to end: the real createDialog, its
// HTTP client, the service's OpenAI API and a tiny random-weights model with a chat template. A random
// model writes garbage, so what is asserted is the plumbing: requests reach the service with the tools
// schema, tool calls make real round trips, streamed tokens arrive, and the citation check and the
// retrieval fallback behave as src/dialog/README.md documents. A recording proxy sits in between.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDialog, grepCodeTools, httpModelClient, type ChatRequest, type ModelClient, type OsTools, type UnitView } from '../dialog/index.js';
import { withService, type Fixture } from '../testkit/llm/fixtures.js';
import { CHATML_TEMPLATE, writeTinyModel } from '../testkit/llm/tiny-model.js';

interface Seen { body: { model: string; messages: { role: string; content: string | null; tool_call_id?: string }[]; tools?: { function: { name: string } }[]; stream?: boolean }; events: number }

/** Forwards to the service and records each chat request and how many SSE events its answer streamed. */
function recordingProxy(target: string, seen: Seen[]): Server {
  const t = new URL(target);
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rec: Seen | null = req.method === 'POST' ? { body: JSON.parse(body.toString()) as Seen['body'], events: 0 } : null;
      if (rec) seen.push(rec);
      const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.on('data', (c: Buffer) => { if (rec) rec.events += (c.toString().match(/^data: /gm) ?? []).length; res.write(c); });
        r.on('end', () => res.end());
      });
      up.end(body);
    });
  });
}

const unit: UnitView = { name: 'web', kind: 'service', state: 'running', reason: 'started', enabled: true, pid: 100, since: '2026-01-01T00:00:00.000Z', restarts: 0, lastExit: null };
const changes: string[] = [];
const os = {
  status: async () => ({ hostname: 'e2e', mode: 'host', phase: 'running', reason: 'all units started', generation: { id: 'g1-aaaaaaaaaaaa', trial: false, outcome: 'good' }, services: [unit] }),
  units: async () => [unit],
  unit: async () => ({ status: unit, spec: null }),
  unitAction: async (name: string, action: string) => { changes.push(`${action} ${name}`); return unit; },
  journal: async () => [],
  generations: async () => ({ default: 'g1-aaaaaaaaaaaa', generations: {} }),
  generation: async (id: string) => ({ id }),
  switchGeneration: async (id: string) => { changes.push(`switch ${id}`); return id; },
  rollback: async () => { changes.push('rollback'); return 'rolled back'; },
  describe: () => ({ what: 'a change', call: 'POST /v1/x' }),
  runTest: async () => ({ code: 0, tail: [] }),
} as unknown as OsTools;

/** The dialog's own client, with request fields a test pins (seed, tool_choice, response_format) added. */
const pinned = (inner: ModelClient, extra: Record<string, unknown>): ModelClient => ({
  models: () => inner.models(),
  chat: (req, onDelta, signal) => inner.chat({ ...req, ...extra } as ChatRequest, onDelta, signal),
});

describe('the dialog agent on the llm service with a chat-template model', () => {
  let fx: Fixture;
  let proxy: Server;
  let base = '';
  let root = '';
  const seen: Seen[] = [];
  before(async () => {
    // The dialog's 18 tool schemas make a prompt of several thousand tokens of this byte-level vocabulary.
    fx = await withService({ contextSize: 8192, sequences: 1 }, { big: (p) => writeTinyModel(p, { chatTemplate: CHATML_TEMPLATE, contextLength: 8192, seed: 5 }) });
    proxy = recordingProxy(fx.svc.baseUrl, seen);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/v1`;
    root = await mkdtemp(join(tmpdir(), 'dlg-e2e-'));
    await mkdir(join(root, 'src', 'store'), { recursive: true });
    await writeFile(join(root, 'package.json'), '{"name":"e2e"}\n');
    await writeFile(join(root, 'src', 'store', 'store.ts'), '// Keeps things.\n\n/** Writes a thing. */\nexport async function writeThing(name: string): Promise<string> {\n  return name;\n}\n');
  });
  after(async () => {
    await new Promise<void>((r) => proxy?.close(() => r()));
    await fx?.cleanup();
    await rm(root, { recursive: true, force: true });
  });
  const dialog = (extra: Record<string, unknown>) => createDialog({ code: grepCodeTools(root), os, modelId: 'big', model: pinned(httpModelClient(base), { seed: 7, ...extra }) });

  it('picks a chat model from /v1/models (dialogos-style capabilities of the service)', async () => {
    const d = dialog({});
    const m = await d.mode();
    assert.deepEqual(m, { mode: 'big', why: 'chat model big' });
  });

  it('makes real tool-call round trips with the tools schema, then falls back when no answer comes', async () => {
    seen.length = 0;
    const d = dialog({ tool_choice: { type: 'function', function: { name: 'services_list' } }, max_tokens: 64 });
    const a = await d.handle('which services run?');
    assert.equal(a.mode, 'retrieval');
    assert.match(a.answer, /^\(the model failed: The model did not answer within 6 tool rounds; answering in retrieval mode\)\n/);
    const chats = seen.filter((s) => s.body.messages);
    assert.equal(chats.length, 6, 'six rounds reached the service');
    for (const s of chats) {
      assert.equal(s.body.stream, true);
      assert.ok((s.body.tools ?? []).some((t) => t.function.name === 'code_definition') && s.body.tools!.length >= 10, 'the dialog\'s tools schema');
      assert.ok(s.events >= 2, 'the answer streamed as SSE events');
    }
    // Round trip: each later request carries the tool's real result for the call the model made.
    const tool = chats[1]!.body.messages.find((m) => m.role === 'tool')!;
    assert.ok(tool.tool_call_id?.startsWith('call_'), 'the id the service gave the call');
    assert.match(tool.content!, /web\s+service\s+running/);
    assert.equal(changes.length, 0, 'nothing changed on the machine');
  });

  it('streams a non-tool garbage answer to the person, unverified (no citations, nothing invented)', async () => {
    const d = dialog({ tool_choice: 'none', max_tokens: 24 });
    const deltas: string[] = [];
    const a = await d.handle('say something', { onDelta: (t) => deltas.push(t) });
    assert.equal(a.mode, 'big');
    assert.ok(deltas.length >= 1, 'tokens arrived as they were generated');
    assert.ok(a.answer.startsWith(deltas.join('')), 'the answer is what streamed (plus any marks of the citation check)');
    assert.deepEqual(a.citations, [], 'garbage cites nothing');
  });

  it('checks the citations of what the service generated: a real one kept, an invented one dropped and the claim marked', async () => {
    const text = 'writeThing is at src/store/store.ts:4. The `hash` helper is at src/nowhere.ts:9.';
    const d = dialog({ tool_choice: 'none', response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { const: text } } } });
    const deltas: string[] = [];
    const a = await d.handle('where is writeThing?', { onDelta: (t) => deltas.push(t) });
    assert.equal(JSON.parse(deltas.join('')), text, 'the grammar made the model write exactly this');
    assert.deepEqual(a.citations, [{ path: 'src/store/store.ts', line: 4 }]);
    assert.match(a.answer, /The `hash` helper is at src\/nowhere\.ts:9\."? \[no source\]/);
    assert.match(a.answer, /dropped citations that do not exist in the source: src\/nowhere\.ts:9/);
  });
});
