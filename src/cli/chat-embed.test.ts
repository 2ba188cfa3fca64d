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

/** An OpenAI-shaped server: two models, and embeddings that are [1, 0] for texts naming `favourite`. */
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
      const data = input.map((t, index) => ({ index, embedding: t.includes(favourite) || index === 0 ? [1, 0] : [0, 1] })).reverse();
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

  it('re-ranks the index\'s BM25 hits by the embeddings', async () => {
    const fx = materialize(BASIC);
    const { base, srv, inputs } = await server('class Counter');
    try {
      const state = mkdtempSync(join(tmpdir(), 'chat-embed-'));
      const plain = codeToolsFor(fx.dir, state, {});
      const hybrid = codeToolsFor(fx.dir, state, {}, () => {}, async () => httpEmbedder(base, 'big'));
      const q = 'add numbers counter';
      const bm25 = await plain.search(q, { k: 3 });
      const mixed = await hybrid.search(q, { k: 3 });
      assert.ok(inputs.length === 1 && inputs[0]![0] === q, 'the query is embedded with the candidates');
      assert.ok(mixed.length > 0 && mixed.every((h) => h.path && h.line > 0));
      const rank = (hits: typeof bm25) => hits.findIndex((h) => h.path.includes('counter'));
      assert.ok(rank(mixed) >= 0 && (rank(bm25) < 0 || rank(mixed) <= rank(bm25)), `counter ranks no lower with embeddings: ${JSON.stringify({ bm25, mixed })}`);
    } finally { srv.close(); fx.cleanup(); }
  });
});
