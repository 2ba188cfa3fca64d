import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { grepCodeTools } from './code-grep.js';
import { createDialog } from './dialog.js';
import { memoryOs } from '../testkit/dialog/memory-os.js';
import { fixtureTree, scriptedModel } from '../testkit/dialog/fixtures.js';
import { toolDefs, validateCall, TOOLS } from './tools.js';
import type { CodeTools } from './types.js';

let fx: Awaited<ReturnType<typeof fixtureTree>>;
let code: CodeTools;
before(async () => { fx = await fixtureTree(); code = grepCodeTools(fx.root); });
after(() => fx.dispose());

test('every tool has a JSON Schema for the model, and calls are checked against the zod schema', () => {
  const defs = toolDefs();
  assert.equal(defs.length, TOOLS.length);
  for (const d of defs) assert.equal((d.function.parameters as { type: string }).type, 'object', d.function.name);
  assert.throws(() => validateCall('nope', '{}'), /Unknown tool "nope"; the tools are: status,/);
  assert.throws(() => validateCall('service_action', '{"name":"web"'), /not valid JSON/);
  assert.throws(() => validateCall('service_action', '{"name":"web","action":"explode"}'), /action: Invalid option: expected one of "start"\|"stop"\|"restart"/);
  assert.throws(() => validateCall('service_action', '{"name":"Web!","action":"stop","x":1}'), /name: expected a unit name.*\(root\): Unrecognized key: "x"|name: expected a unit name/);
  assert.deepEqual(validateCall('journal', '{"unit":"web"}').args, { unit: 'web', limit: 20 });
});

test('an invalid tool call goes back to the model with the precise error; the model then answers', async () => {
  const model = scriptedModel([
    { calls: [['code_definition', '{"nom":"writeThing"}']] },
    { calls: [['code_definition', '{"name":"writeThing"}']] },
    { content: 'writeThing writes a thing and returns its id (src/store/store.ts:5).' },
  ]);
  const d = createDialog({ code, os: memoryOs(), model });
  const deltas: string[] = [];
  const a = await d.handle('where is writeThing?', { onDelta: (t) => deltas.push(t) });
  assert.equal(a.mode, 'big');
  assert.deepEqual(a.citations, [{ path: 'src/store/store.ts', line: 5 }]);
  assert.equal(deltas.join(''), 'writeThing writes a thing and returns its id (src/store/store.ts:5).');
  const toolMsgs = model.requests[1]!.messages.filter((m) => m.role === 'tool');
  assert.match(toolMsgs[0]!.content!, /Arguments of "code_definition" do not match its schema: .*name: Invalid input: expected string/);
  assert.match(model.requests[2]!.messages.at(-1)!.content!, /src\/store\/store\.ts:5 {2}function writeThing/);
});

test('invalid calls are bounded: after too many the dialog falls back to retrieval and says so', async () => {
  const bad = { calls: [['status', '{"x":1}']] as Array<[string, string]> };
  const model = scriptedModel([bad, bad, bad, bad, bad]);
  const d = createDialog({ code, os: memoryOs(), model });
  const a = await d.handle('where is writeThing defined');
  assert.equal(model.requests.length, 4);
  assert.equal(a.mode, 'retrieval');
  assert.match(a.answer, /^\(the model failed: The model made 4 invalid tool calls.*answering in retrieval mode\)\n"writeThing" is defined at/);
});

test('a state change the model asks for waits for y/N; no runs nothing', async () => {
  const os = memoryOs();
  const model = scriptedModel([{ content: 'I will stop web.', calls: [['service_action', '{"name":"web","action":"stop"}']] }]);
  const d = createDialog({ code, os, model });
  const a = await d.handle('please stop the web server');
  assert.equal(a.pending?.call, 'POST /v1/units/web/stop');
  assert.match(a.answer, /Run it\? \[y\/N\]$/);
  const no = await d.handle('no');
  assert.match(no.answer, /^Cancelled/);
  assert.deepEqual(os.changes, []);
  const model2 = scriptedModel([{ calls: [['service_action', '{"name":"web","action":"stop"}']] }]);
  const d2 = createDialog({ code, os, model: model2 });
  await d2.handle('stop web');
  await d2.handle('y');
  assert.deepEqual(os.changes, ['stop web']);
});

test('claims about code without a valid citation are flagged, invented citations dropped', async () => {
  const model = scriptedModel([{ content: 'The `Store` class keeps things. It is at src/store/store.ts:9. The helper lives in src/nowhere.ts:3. Have a nice day.' }]);
  const d = createDialog({ code, os: memoryOs(), model });
  const a = await d.handle('tell me about Store');
  assert.deepEqual(a.citations, [{ path: 'src/store/store.ts', line: 9 }]);
  assert.match(a.answer, /The `Store` class keeps things\. \[no source\]/);
  assert.match(a.answer, /src\/nowhere\.ts:3\. \[no source\]/);
  assert.doesNotMatch(a.answer, /nice day\. \[no source\]/);
  assert.match(a.answer, /dropped citations that do not exist in the source: src\/nowhere\.ts:3/);
});

test('a model endpoint that is down leaves retrieval mode answering, and it says so', async () => {
  const d = createDialog({ code, os: memoryOs(), model: { models: async () => { throw new Error('connect ECONNREFUSED'); }, chat: async () => { throw new Error('unreachable'); } } });
  const m = await d.mode();
  assert.equal(m.mode, 'retrieval');
  assert.match(m.why, /does not answer \(connect ECONNREFUSED\)/);
  const a = await d.handle('where is writeThing defined');
  assert.equal(a.mode, 'retrieval');
  assert.equal(a.citations[0]?.line, 5);
});
