// The API's pure parts: token check, error mapping, route matching, query validation, OpenAPI document.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SpecValidationError, UnitNotFoundError } from '../services/index.js';
import { bearerMatches, ensureToken } from './auth.js';
import { ApiError, BadRequestError } from './errors.js';
import { errorAnswer, parseOr400 } from './http.js';
import { openApiDocument } from './openapi.js';
import { match, ROUTES } from './routes.js';
import { journalQuery } from './schemas.js';

describe('api pieces', () => {
  it('accepts exactly "Bearer <token>"', () => {
    const t = 'abcdefghijklmnopqrstuvwxyz012345';
    assert.equal(bearerMatches(`Bearer ${t}`, t), true);
    assert.equal(bearerMatches(`bearer   ${t}  `, t), true);
    for (const h of [undefined, '', `Bearer ${t}x`, `Bearer ${t.slice(1)}`, `Basic ${t}`, t, `Bearer ${t} extra`]) assert.equal(bearerMatches(h, t), false, String(h));
  });

  it('makes a 0600 token once and keeps it', async () => {
    const f = join(await mkdtemp(join(tmpdir(), 'tok-')), 'sub', 'api.token');
    const a = await ensureToken(f);
    assert.equal((await stat(f)).mode & 0o777, 0o600);
    assert.equal(await ensureToken(f), a);
    assert.equal((await readFile(f, 'utf8')).trim(), a);
    assert.ok(a.length >= 40);
  });

  it('maps errors to status codes and the envelope', () => {
    assert.equal(errorAnswer(new UnitNotFoundError('x')).status, 404);
    const spec = errorAnswer(new SpecValidationError([{ path: 'command', message: 'expected string' }]));
    assert.equal(spec.status, 400);
    assert.deepEqual(spec.body.error.issues, [{ path: 'command', message: 'expected string' }]);
    assert.equal(errorAnswer(new BadRequestError('b')).body.error.name, 'BadRequestError');
    assert.equal(errorAnswer(new ApiError(418, 't')).status, 418);
    assert.deepEqual(errorAnswer('weird'), { status: 500, body: { error: { name: 'Error', message: 'weird' } }, headers: {} });
  });

  it('matches routes with decoded parameters and refuses broken encodings', () => {
    const m = match('/v1/units/web%2Dx/start');
    assert.equal(m.params.name, 'web-x');
    assert.deepEqual(m.routes.map((r) => r.method), ['POST']);
    assert.equal(match('/v1/units/%zz').routes.length, 0);
    assert.equal(match('/v1/units//start').routes.length, 0);
    assert.equal(match('/v1/nothing').routes.length, 0);
  });

  it('validates journal queries into BadRequestError only (property)', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('unit', 'level', 'since', 'limit', 'afterSeq', 'order', 'grep', 'x'), fc.string()), (q) => {
      try {
        parseOr400(journalQuery, q, 'query');
      } catch (err) {
        assert.equal((err as Error).name, 'BadRequestError');
      }
    }));
    assert.equal(parseOr400(journalQuery, { limit: '20' }, 'query').limit, 20);
  });

  it('describes every route in an OpenAPI 3.1 document whose references all resolve', () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    assert.equal(doc.openapi, '3.1.0');
    for (const r of ROUTES) assert.ok(doc.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`);
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) assert.ok(doc.components.schemas[name!], `schema ${name}`);
    assert.doesNotMatch(text, /\$defs/);
  });
});
