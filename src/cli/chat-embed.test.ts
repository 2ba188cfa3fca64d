// The dialog's hybrid code search: the embedding model is picked from the llm API's model list (never the
// byte-level code model), its vectors come over /v1/embeddings, and they re-rank the index's BM25 hits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddingsError, httpEmbedder, pickEmbeddingModel } from './chat-embed.js';
import { codeToolsFor } from './chat-code.js';
import { BASIC, materialize } from '../testkit/mind/project.js';

/**
 * An OpenAI-shaped server: two models, and embeddings that are [1, 0] for the query (the first input) and for
 * texts that start with `favourite` (the index embeds a hit as its title, a newline, its lines), else [0, 1].
 */
async function server(favourite: string): Promise<{ base: string; srv: Server; inputs: string[][] }> {
  const inputs: string[][] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/models') {
        res.end(JSON.stringify({ data: [{ id: 'dialogos-mini', capabilities: { embeddings: true } }, { id: 'big', capabilities: { embeddings: true } }] }));
        return;
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      if (model !== 'big') { res.statusCode = 404; res.end(JSON.stringify({ error: { message: `model "${model}" not found` } })); return; }
      inputs.push(input);
      // Answer out of order: the client must place each vector by its index.
      const data = input.map((t, index) => ({ index, embedding: t.startsWith(favourite) || index === 0 ? [1, 0] : [0, 1] })).reverse();
      res.end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`, srv, inputs };
}

describe('hybrid code search through the llm API', () => {
  it('picks a model with embeddings other than dialogos-mini, or the one the environment names', async () => {
    const { base, srv } = await server('x');
    try {
      assert.equal(await pickEmbeddingModel(base, {}), 'big');
      assert.equal(await pickEmbeddingModel(base, { DIALOGOS_EMBED_MODEL: 'other' }), 'other');
      assert.equal(await pickEmbeddingModel('http://127.0.0.1:9/v1', {}), null, 'no service: no embedder');
      await assert.rejects(httpEmbedder(base, 'nope').embed(['a']), (e: Error) => e instanceof EmbeddingsError && /model "nope"/.test(e.message) && /404/.test(e.message));
    } finally { srv.close(); }
  });

  /** BM25's top hits and the hybrid ones for `q`, with embeddings that favour the hit titled `favourite`. */
  async function rank(q: string, favourite: string): Promise<{ bm25: string[]; mixed: string[]; favoured: number }> {
    const fx = materialize(BASIC);
    const { base, srv, inputs } = await server(`${favourite}\n`);
    try {
      const state = mkdtempSync(join(tmpdir(), 'chat-embed-'));
      const plain = codeToolsFor(fx.dir, state, {});
      const hybrid = codeToolsFor(fx.dir, state, {}, () => {}, async () => httpEmbedder(base, 'big'));
      const bm25 = await plain.search(q, { k: 3 });
      const mixed = await hybrid.search(q, { k: 3 });
      assert.ok(inputs.length === 1 && inputs[0]![0] === q, 'the query is embedded with the candidates');
      assert.ok(mixed.length > 0 && mixed.every((h) => h.path && h.line > 0));
      const name = (h: { title: string }) => h.title;
      return { bm25: bm25.map(name), mixed: mixed.map(name), favoured: inputs[0]!.slice(1).filter((x) => x.startsWith(`${favourite}\n`)).length };
    } finally { srv.close(); fx.cleanup(); }
  }

  // With reciprocal rank fusion a hit the embeddings put first gains one place on BM25's order (a tie, given
  // to the embeddings): each case is one where that changes the order, so ignored embeddings fail it.
  it('re-ranks the index\'s BM25 hits by the embeddings: their favourite, BM25\'s second, comes first', async () => {
    const r = await rank('add numbers counter', 'function add');
    assert.equal(r.favoured, 1, 'exactly one candidate is the favourite');
    assert.deepEqual(r.bm25, ['method Counter.bump', 'function add', 'class Counter'], 'BM25 alone puts the favourite second');
    assert.deepEqual(r.mixed, ['function add', 'method Counter.bump', 'class Counter'], 'the embeddings lift it to first');
  });

  it('re-ranks by the embeddings: BM25\'s third, their favourite, overtakes the second', async () => {
    const r = await rank('add numbers counter', 'class Counter');
    assert.equal(r.favoured, 1, 'exactly one candidate is the favourite');
    assert.deepEqual(r.bm25, ['method Counter.bump', 'function add', 'class Counter']);
    assert.deepEqual(r.mixed, ['method Counter.bump', 'class Counter', 'function add']);
  });
});
