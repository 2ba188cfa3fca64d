// The chat proposer: against canned replies (what is counted, what is applied) and against the project's
// real llm service with a tiny random-weights chat model, whose grammar-enforced replies are counted and
// whose well-formed rate is reported. A random model's edits never match the file; the plumbing is the point.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ts from 'typescript';
import { withService, type Fixture } from '../../testkit/llm/fixtures.js';
import { CHATML_TEMPLATE, writeTinyModel } from '../../testkit/llm/tiny-model.js';
import type { Proposal, ProposeContext } from '../types.js';
import { chatProposer, parseReply } from './chat.js';

const SRC = 'export function inRange(x: number, lo: number, hi: number): boolean {\n  return x >= lo && x > hi;\n}\n';
const FIXED = SRC.replace('x > hi', 'x <= hi');

let root = '';
let ctx: ProposeContext;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'evolve-chat-'));
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'src/range.ts'), SRC);
  const failToPass = [{ file: 'src/range.test.ts', name: 'inRange > includes hi' }];
  ctx = { root, target: { kind: 'tests', failToPass, origin: 'test' }, suspects: [{ path: 'src/range.ts', line: 2, score: 1 }], limit: 10, seed: 11 };
});
after(() => rm(root, { recursive: true, force: true }));

async function collect(it: AsyncIterable<Proposal>): Promise<Proposal[]> {
  const out: Proposal[] = [];
  for await (const p of it) out.push(p);
  return out;
}

/** An OpenAI-shaped server answering each chat request with the next canned content (or an HTTP status). */
async function canned(replies: Array<string | number>): Promise<{ server: Server; base: string; bodies: Array<Record<string, unknown>> }> {
  const bodies: Array<Record<string, unknown>> = [];
  let i = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      bodies.push(JSON.parse(body) as Record<string, unknown>);
      const r = replies[i++ % replies.length]!;
      if (typeof r === 'number') { res.writeHead(r).end('{"error":{"message":"down"}}'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: r } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, bodies };
}

describe('the chat proposer on canned replies', () => {
  it('counts malformed and inapplicable replies and applies the edit that matches', async () => {
    const good = JSON.stringify({ edits: [{ path: 'src/range.ts', line: 3, before: 'x > hi', after: 'x <= hi' }] });
    const stale = JSON.stringify({ edits: [{ path: 'src/range.ts', line: 2, before: 'no such text', after: 'x' }, { path: 'src/other.ts', line: 1, before: 'a', after: 'b' }] });
    const c = await canned(['not json {', good, stale, '{"edits": []}']);
    try {
      const p = chatProposer(ts, { baseUrl: c.base, model: 'm1', weightsDigest: 'abc', replies: 4 });
      const got = await collect(p.propose(ctx));
      assert.deepEqual(p.stats, { replies: 4, wellFormed: 2, malformed: 2, applicable: 1, inapplicable: 2 });
      assert.equal(p.wellFormedRate(), 0.5);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.changes[0]!.after, FIXED);
      assert.deepEqual(got[0]!.provenance.model, { id: 'm1', weightsDigest: 'abc' });
      assert.match(got[0]!.provenance.prompt!, /2\| {3}return x >= lo && x > hi;/);
      const rf = c.bodies[0]!.response_format as { type: string; json_schema: { schema: { required: string[] } } };
      assert.equal(rf.type, 'json_schema');
      assert.deepEqual(rf.json_schema.schema.required, ['edits']);
      assert.deepEqual(c.bodies.map((b) => b.seed), [11, 12, 13, 14]);
    } finally {
      c.server.close();
    }
  });

  it('names the model and the URL when the API fails', async () => {
    const c = await canned([503]);
    try {
      const p = chatProposer(ts, { baseUrl: c.base, model: 'm2', replies: 1 });
      await assert.rejects(collect(p.propose(ctx)), (e: Error) => e.name === 'ChatRequestError' && /model "m2".*HTTP 503/.test(e.message));
    } finally {
      c.server.close();
    }
  });

  it('reads only replies of the schema', () => {
    assert.equal(parseReply('{"edits":[{"path":"a","line":1.5,"before":"x","after":"y"}]}'), null);
    assert.equal(parseReply('{"edits":[{"path":"a","line":1,"before":"","after":"y"}]}'), null);
    assert.equal(parseReply(null), null);
    assert.deepEqual(parseReply('{"edits":[{"path":"a","line":1,"before":"x","after":"y"}]}'), [{ path: 'a', line: 1, before: 'x', after: 'y' }]);
  });
});

describe('the chat proposer on the llm service with a tiny chat model', () => {
  let fx: Fixture;
  before(async () => {
    fx = await withService({ contextSize: 4096, sequences: 1 }, { big: (p) => writeTinyModel(p, { chatTemplate: CHATML_TEMPLATE, contextLength: 4096, seed: 5 }) });
  });
  after(() => fx?.cleanup());

  it('gets grammar-constrained replies and reports the well-formed rate', async (t) => {
    const p = chatProposer(ts, { baseUrl: fx.svc.baseUrl, model: 'big', replies: 3, maxTokens: 2000, context: 2 });
    const got = await collect(p.propose(ctx));
    const rate = `${p.stats.wellFormed}/${p.stats.replies} well-formed (${(100 * p.wellFormedRate()).toFixed(0)} %)`;
    t.diagnostic(`tiny random chat model: ${rate}, ${p.stats.applicable} applicable, ${got.length} proposals`);
    assert.equal(p.stats.replies, 3);
    assert.equal(p.stats.wellFormed + p.stats.malformed, 3);
    // The grammar holds a reply to the schema; with room for the longest one, at least one must close.
    assert.ok(p.stats.wellFormed >= 1, `no well-formed reply in ${p.stats.replies}`);
    assert.equal(p.stats.applicable + p.stats.inapplicable >= p.stats.wellFormed, true);
    for (const x of got) assert.equal(x.changes[0]!.before, SRC);
  });
});
