import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sendJson } from '../../std/index.js';
import { runAbba } from './abba.js';
import { answerDifferences, fetchAnswer, type Answer } from './answer.js';
import { startBare } from './bare.js';

const listen = (s: Server, path: string): Promise<void> => new Promise((r) => s.listen(path, () => r()));
const close = (s: Server): Promise<void> => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); });
const BODY = { machine: { phase: 'running' }, units: [{ name: 'web', state: 'active' }] };

test('the bare server answers what dialogosd\'s JSON helper answers: same status, headers and bytes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-answer-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const api = createServer((_q, res) => sendJson(res, 200, BODY));
  await listen(api, join(dir, 'api.sock'));
  t.after(() => close(api));
  const theirs = await fetchAnswer(join(dir, 'api.sock'), '/v1/status');
  await writeFile(join(dir, 'payload.json'), theirs.body);
  const bare = await startBare(join(dir, 'payload.json'), join(dir, 'bare.sock'));
  t.after(() => { bare.kill(); });
  const ours = await fetchAnswer(join(dir, 'bare.sock'), '/v1/status');
  assert.deepEqual(answerDifferences(theirs, ours), []);
  assert.equal(ours.body.toString(), JSON.stringify(BODY));
  assert.deepEqual(Object.keys(ours.headers).sort(), ['connection', 'content-length', 'content-type', 'date', 'keep-alive']);
});

test('differences in status, headers and bytes are each named', () => {
  const a: Answer = { status: 200, headers: { 'content-type': 'application/json', date: 'x' }, body: Buffer.from('{"a":1}') };
  assert.deepEqual(answerDifferences(a, { ...a, headers: { ...a.headers, date: 'y' } }), []);
  const b: Answer = { status: 201, headers: { 'content-type': 'text/plain', 'x-extra': '1' }, body: Buffer.from('{"a":2}') };
  assert.deepEqual(answerDifferences(a, b), [
    'status 200 vs 201',
    'header "content-type": "application/json" vs "text/plain"',
    'header "date" only in the first',
    'header "x-extra" only in the second',
    'body: 7 bytes vs 7 bytes, not the same bytes',
  ]);
});

test('an ABBA run measures both servers the same number of times and names them in its ratios', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-abba-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const servers = ['a', 'b'].map((n) => createServer((_q, res) => sendJson(res, 200, { n })));
  await Promise.all(servers.map((s, i) => listen(s, join(dir, `${i}.sock`))));
  t.after(() => Promise.all(servers.map(close)));
  const seen: string[] = [];
  const r = await runAbba({ name: 'a', socket: join(dir, '0.sock') }, { name: 'b', socket: join(dir, '1.sock') },
    { path: '/', blocks: 2, clients: 2, seconds: 0.05, warmMs: 40 }, (m) => seen.push(m.server));
  assert.equal(seen.join(''), 'abbabaab');
  assert.equal(r.a.measurements, 4);
  assert.equal(r.b.measurements, 4);
  assert.equal(r.a.errors + r.b.errors, 0);
  assert.ok(r.a.rps > 0 && r.ratios.rps.ratio > 0);
});
