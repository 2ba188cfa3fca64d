// The shared HTTP plumbing against a real node:http server: the body limit (declared and streamed), media
// types, UTF-8 and JSON errors made by the caller's factories, JSON answers and SSE framing.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readJsonBody, sendJson, startSse, writeSse, type JsonBodyOptions } from './http.js';

class Refused extends Error {
  constructor(readonly kind: string, message: string) { super(message); }
}
const OPTS: JsonBodyOptions = {
  maxBytes: 64,
  acceptsType: (type) => type === 'application/json',
  errors: {
    tooLarge: (size, max) => new Refused('tooLarge', `${size ?? 'more'}>${max}`),
    unsupportedType: (type, header) => new Refused('type', `${type}|${header}`),
    notUtf8: () => new Refused('utf8', 'not UTF-8'),
    notJson: (cause) => new Refused('json', cause.message),
  },
  maxDrainBytes: 1 << 20,
};

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
let handler: Handler;
let server: Server;
let port: number;

function call(body: Buffer | string | undefined, headers: Record<string, string | number> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, method: 'POST', path: '/', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const echo: Handler = async (req, res) => {
  try {
    sendJson(res, 200, { got: (await readJsonBody(req, OPTS)) ?? null });
  } catch (err) {
    const e = err as Refused;
    sendJson(res, 400, { kind: e.kind, message: e.message }, { 'x-kind': e.kind });
  }
};

describe('std http', () => {
  before(async () => {
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads JSON, an empty body as undefined, and answers with content-length', async () => {
    handler = echo;
    let r = await call('{"a":[1,2]}', { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.text), { got: { a: [1, 2] } });
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.text));
    assert.equal(r.headers['content-type'], 'application/json');
    r = await call(undefined, { 'content-type': 'text/plain' });
    assert.deepEqual(JSON.parse(r.text), { got: null }, 'an empty body is not type-checked');
  });

  it('refuses with the caller\'s errors: declared and streamed oversize, media type, UTF-8, JSON', async () => {
    handler = echo;
    const kinds = async (body: Buffer | string, headers: Record<string, string | number>) => JSON.parse((await call(body, headers)).text) as { kind: string; message: string };
    assert.deepEqual(await kinds('x'.repeat(65), { 'content-type': 'application/json', 'content-length': 65 }), { kind: 'tooLarge', message: '65>64' });
    // Chunked, so no Content-Length: refused when the 65th byte arrives, and the client still reads the answer.
    assert.deepEqual(await kinds('y'.repeat(5000), { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }), { kind: 'tooLarge', message: 'more>64' });
    assert.deepEqual(await kinds('{}', { 'content-type': 'Text/Plain; q=1' }), { kind: 'type', message: 'text/plain|Text/Plain; q=1' });
    assert.deepEqual(await kinds('{}', {}), { kind: 'type', message: '|' });
    assert.equal((await kinds(Buffer.from([0x7b, 0xff, 0x7d]), { 'content-type': 'application/json' })).kind, 'utf8');
    assert.equal((await kinds('{"a":', { 'content-type': 'application/json' })).kind, 'json');
  });

  it('drains a refused body up to the drain limit, then cuts the connection', async () => {
    let received = 0;
    const cut = new Promise<number>((resolve) => {
      handler = async (req) => {
        req.on('data', (c: Buffer) => { received += c.length; });
        await assert.rejects(readJsonBody(req, OPTS), { kind: 'tooLarge' } as object);
        req.socket.once('close', () => resolve(received));
      };
    });
    const client = call(Buffer.alloc(3 << 20, 0x20), { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }).catch(() => null);
    const got = await cut;
    assert.ok(got > 64 && got < 3 << 20, `the server read ${got} bytes before cutting`);
    await client;
  });

  it('frames server-sent events, named or not, and reports a finished stream', async () => {
    let after: boolean[] = [];
    handler = async (_req, res) => {
      startSse(res, 'no-store');
      writeSse(res, { a: 1 });
      writeSse(res, 'raw text', 'note');
      res.end();
      after = [writeSse(res, 'late')];
      sendJson(res, 500, { never: true });
    };
    const r = await call(undefined);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/event-stream');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.text, 'data: {"a":1}\n\nevent: note\ndata: raw text\n\n');
    assert.deepEqual(after, [false]);
  });

  it('ends a response already under way instead of answering twice', async () => {
    handler = async (_req, res) => {
      startSse(res);
      writeSse(res, 1);
      sendJson(res, 500, { error: 'late' });
    };
    const r = await call(undefined);
    assert.equal(r.status, 200);
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.equal(r.text, 'data: 1\n\n');
  });
});
