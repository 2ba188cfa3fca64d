// The handover format, written by the boot stage, read by PID 1 (native/init.c) and dialogosd: exact
// bytes, strict parsing (the generation id rule of parseGenerationId, absolute NEWROOT, TRIAL 0|1,
// NUL-terminated argv), round trips, and arbitrary input that ends only in HandoverFormatError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatHandoverArgv, formatHandoverEnv, formatHandoverJson, parseHandoverArgv, parseHandoverEnv, parseHandoverJson, type Handover } from './handover.js';
import { isGenerationId } from './id.js';

const ID = 'g1-0123456789ab';
const h: Handover = { newRoot: '/newroot', generation: ID, trial: true, argv: ['/usr/bin/node', '/dialogos/main.mjs'] };
const isFormatError = (e: unknown) => (e as Error).name === 'HandoverFormatError';

test('handover.env and handover.argv are what native/init.c parses', () => {
  assert.equal(formatHandoverEnv(h), `NEWROOT=/newroot\nTRIAL=1\nGENERATION=${ID}\n`);
  assert.deepEqual(formatHandoverArgv(['/usr/bin/node', 'a b', '']), Buffer.from('/usr/bin/node\0a b\0\0'));
  assert.throws(() => formatHandoverEnv({ ...h, newRoot: '/x\nTRIAL=1' }), { name: 'HandoverFormatError' });
  assert.equal(formatHandoverJson(h), `{"newRoot":"/newroot","generation":"${ID}","trial":true,"argv":["/usr/bin/node","/dialogos/main.mjs"]}\n`);
});

test('the writers refuse what the parsers would refuse', () => {
  for (const bad of [{ generation: 'g1-abc' }, { generation: '../etc' }, { newRoot: 'newroot' }, { argv: [] }, { argv: ['node'] }, { argv: ['/a', 'x\0y'] }]) {
    assert.throws(() => formatHandoverJson({ ...h, ...bad }), { name: 'HandoverFormatError' }, JSON.stringify(bad));
  }
  assert.throws(() => formatHandoverArgv(Array.from({ length: 65 }, () => '/x')), { name: 'HandoverFormatError', message: /1 to 64 arguments/ });
  assert.throws(() => formatHandoverArgv(['/x', 'y'.repeat(8200)]), { name: 'HandoverFormatError', message: /PID 1 reads at most 8190/ });
});

test('the parsers are strict: the id rule of parseGenerationId, TRIAL 0|1, each key once, NUL-terminated argv', () => {
  const env = (s: string) => () => parseHandoverEnv(s);
  assert.deepEqual(parseHandoverEnv(`GENERATION=${ID}\nTRIAL=0\nNEWROOT=/r\n`), { newRoot: '/r', generation: ID, trial: false });
  assert.throws(env('NEWROOT=/newroot\nTRIAL=1\nGENERATION=g4-abc\n'), { name: 'HandoverFormatError', message: /generation id "g4-abc" is not valid/ });
  assert.throws(env(`NEWROOT=/newroot\nTRIAL=yes\nGENERATION=${ID}\n`), { message: /TRIAL "yes" is not 0 or 1/ });
  assert.throws(env(`NEWROOT=newroot\nTRIAL=1\nGENERATION=${ID}\n`), { message: /NEWROOT "newroot" is not an absolute path/ });
  assert.throws(env(`NEWROOT=/a\nNEWROOT=/b\nTRIAL=1\nGENERATION=${ID}\n`), { message: /NEWROOT is given twice/ });
  assert.throws(env(`NEWROOT=/newroot\nTRIAL=1\nGENERATION=${ID}`), { message: /does not end with a newline/ });
  assert.throws(env(`# c\nNEWROOT=/newroot\nTRIAL=1\nGENERATION=${ID}\n`), { message: /line "# c" is not/ });
  assert.throws(env(`NEWROOT=/newroot\nTRIAL=1\nDIALOGOS_GENERATION=${ID}\n`), { name: 'HandoverFormatError' });
  assert.throws(env('NEWROOT=/newroot\nTRIAL=1\n'), { message: /generation id undefined is not valid/ });
  assert.deepEqual(parseHandoverArgv(Buffer.from('/usr/bin/node\0a b\0\0')), ['/usr/bin/node', 'a b', '']);
  assert.throws(() => parseHandoverArgv(Buffer.from('/usr/bin/node\0x')), { message: /not ended by a NUL byte/ });
  assert.throws(() => parseHandoverArgv(Buffer.from([0x2f, 0xff, 0])), { message: /not UTF-8/ });
  assert.throws(() => parseHandoverJson(JSON.stringify({ ...h, extra: 1 })), { message: /unknown field "extra"/ });
  assert.throws(() => parseHandoverJson(JSON.stringify({ ...h, trial: 1 })), { message: /trial 1 is not true or false/ });
  assert.throws(() => parseHandoverJson('{'), { message: /not JSON/ });
  assert.throws(() => parseHandoverJson('null'), { message: /null is not an object/ });
});

const idArb = fc.tuple(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.stringMatching(/^[0-9a-f]{12}$/)).map(([v, d]) => `g${v}-${d}`);
const pathArb = fc.array(fc.stringMatching(/^[A-Za-z0-9._ -]{1,12}$/), { maxLength: 6 }).map((p) => `/${p.join('/')}`);
const argArb = fc.string({ maxLength: 40 }).map((s) => s.replaceAll('\0', ''));
const handoverArb: fc.Arbitrary<Handover> = fc.record({
  newRoot: pathArb, generation: idArb, trial: fc.boolean(), argv: fc.tuple(pathArb, fc.array(argArb, { maxLength: 10 })).map(([a0, rest]) => [a0, ...rest]),
});

test('property: every valid handover round-trips through all three files', () => {
  fc.assert(fc.property(handoverArb, (x) => {
    assert.ok(isGenerationId(x.generation));
    assert.deepEqual(parseHandoverJson(formatHandoverJson(x)), { ...x });
    assert.deepEqual(parseHandoverEnv(formatHandoverEnv(x)), { newRoot: x.newRoot, generation: x.generation, trial: x.trial });
    assert.deepEqual(parseHandoverArgv(formatHandoverArgv(x.argv)), x.argv);
  }), { numRuns: 500 });
});

test('property: arbitrary bytes never crash a parser, except with HandoverFormatError', () => {
  const attempt = (f: () => unknown) => { try { f(); } catch (e) { assert.ok(isFormatError(e), String((e as Error).stack)); } };
  const nearEnv = fc.array(fc.oneof(fc.constantFrom('NEWROOT=', 'TRIAL=', 'GENERATION=', '\n', '=', '\0', '/', '0', '1', ID), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((a) => a.join(''));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), nearEnv, fc.string({ maxLength: 200 }), (bytes, text, s) => {
    attempt(() => parseHandoverArgv(bytes));
    attempt(() => parseHandoverEnv(Buffer.from(bytes).toString('latin1')));
    attempt(() => parseHandoverEnv(text));
    attempt(() => parseHandoverJson(s));
    attempt(() => parseHandoverJson(Buffer.from(bytes).toString('utf8')));
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom('newRoot', 'generation', 'trial', 'argv', 'x'), fc.jsonValue()), (v, rec) => {
    attempt(() => parseHandoverJson(JSON.stringify(v)));
    attempt(() => parseHandoverJson(JSON.stringify({ ...h, ...rec })));
  }), { numRuns: 1000 });
});
