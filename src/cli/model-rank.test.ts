// `dialogos model rank` and rankEdits on a model trained on one kind of text: the real line beats its
// corruptions in place (--at), the right continuation wins (--before), and bad usage exits 2.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EOT, encode, loadRecipe, modelConfig, modelToGguf, rankEdits, Scorer, train } from '../train/index.js';
import type { CliIo } from './api-common.js';
import { runModelRank } from './model-rank.js';

const TEXT = 'const total = price * count;\nreturn total;\n';
let dir = '';
let model = '';
let scorer: Scorer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dgrank-'));
  const recipe = { ...loadRecipe('tiny'), model: { ...loadRecipe('tiny').model, context: 48 } };
  const tokens = new Uint16Array(Array.from({ length: 200 }, () => [EOT, ...encode(TEXT)]).flat());
  const r = await train({ recipe, tokens, corpusDigest: 'x', steps: 150 });
  scorer = new Scorer(modelConfig(recipe), r.params);
  model = join(dir, 'm.gguf');
  writeFileSync(model, modelToGguf(modelConfig(recipe), r.params));
});
after(() => { rmSync(dir, { recursive: true, force: true }); });

function io(): CliIo & { text: () => string } {
  let out = '';
  return { out: (t) => { out += t; }, err: () => undefined, env: {}, text: () => out };
}

test('rankEdits: with text after, replacements by joint probability; without, continuations; indices kept', () => {
  const r = rankEdits(scorer, { before: `${TEXT}const total = `, after: ';\nreturn total;\n', candidates: ['banana', 'price * count', 'count / price'] });
  assert.equal(r[0]!.candidate, 'price * count');
  assert.equal(r[0]!.index, 1);
  assert.deepEqual(r.map((x) => x.index).sort(), [0, 1, 2]);
  const c = rankEdits(scorer, { before: `${TEXT}const total = `, candidates: ['count / price;', 'price * count;'] });
  assert.equal(c[0]!.index, 1);
  assert.ok(c[0]!.bitsPerByte <= c[1]!.bitsPerByte);
  assert.throws(() => rankEdits(scorer, { before: '', candidates: [] }), RangeError);
});

test('model rank --at FILE:LINE: the real line ranks above its corruptions and is marked current', async () => {
  const file = join(dir, 'code.ts');
  writeFileSync(file, `${TEXT}${TEXT}${TEXT}`);
  const a = io();
  assert.equal(await runModelRank(['const total = count * price;', 'const totl = price * count;', 'cosnt total = price * count;'], { at: `${file}:5`, model, json: true }, a), 0);
  const j = JSON.parse(a.text()) as { current: number; ranked: { index: number; candidate: string }[] };
  assert.equal(j.current, 0);
  assert.equal(j.ranked[0]!.candidate, 'const total = price * count;');
  assert.equal(j.ranked.length, 4);
  const t = io();
  await runModelRank(['return totl;'], { at: `${file}:6`, model }, t);
  assert.match(t.text().split('\n')[0]!, /^ {2}1\. .*"return total;" {2}\(current\)$/);
});

test('model rank --before: candidates as continuations; usage errors are UsageError (exit 2)', async () => {
  const prefix = join(dir, 'prefix.txt');
  writeFileSync(prefix, `${TEXT}const total = `);
  const cands = join(dir, 'c.json');
  writeFileSync(cands, JSON.stringify(['banana;']));
  const a = io();
  await runModelRank(['price * count;'], { before: prefix, candidates: cands, model, json: true }, a);
  assert.equal((JSON.parse(a.text()) as { ranked: { candidate: string }[] }).ranked[0]!.candidate, 'price * count;');
  const usage = async (args: string[], o: Record<string, string>, msg: RegExp) =>
    assert.rejects(runModelRank(args, { model, ...o }, io()), (e: Error) => e.name === 'UsageError' && msg.test(e.message));
  await usage([], { before: prefix }, /give candidates/);
  await usage(['x'], {}, /give --at FILE:LINE, or --before/);
  await usage(['x'], { at: `${prefix}:99` }, /has 3 lines/);
  await usage(['x'], { at: 'nope' }, /give FILE:LINE/);
  await usage([], { at: `${prefix}:1` }, /at least one candidate besides/);
  writeFileSync(cands, '{"a": 1}');
  await usage(['x'], { before: prefix, candidates: cands }, /JSON array of strings/);
});
