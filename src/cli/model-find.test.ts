// `model score` and `model eval` find dialogos-mini where it ships (a trained one first) and, when there is
// none, fail with every place they looked at; `host start --llm` says what its llm service will serve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initParams, loadRecipe, modelConfig, modelToGguf, runningRoot } from '../train/index.js';
import { hostDefaultModel } from './host.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const FILE = join(runningRoot(), 'src', 'train', 'rng.ts');

function miniGguf(path: string, seed: number): void {
  const c = modelConfig(loadRecipe('tiny'));
  writeFileSync(path, modelToGguf(c, initParams(c, seed)));
}

const dialogos = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DIALOGOS_STATE: '', ...env }, timeout: 60_000 });

test('model score and rank: no model = exit 1 naming every place; then the shipped one; then a trained one over it', () => {
  const d = mkdtempSync(join(tmpdir(), 'dgmini-'));
  try {
    const shipped = join(d, 'shipped');
    const env = { DIALOGOS_SHIPPED_MODELS: shipped };
    const none = dialogos(['model', 'score', FILE, '--state', d], env);
    assert.equal(none.status, 1, none.stderr);
    assert.ok(none.stderr.includes(`"${join(d, 'train', 'dialogos-mini.gguf')}"`), none.stderr);
    assert.ok(none.stderr.includes(`"${join(shipped, 'dialogos-mini.gguf')}"`), none.stderr);
    assert.match(none.stderr, /dialogos model train/);
    assert.ok(!none.stderr.includes('    at '), 'no stack trace');
    mkdirSync(shipped);
    miniGguf(join(shipped, 'dialogos-mini.gguf'), 1);
    const a = dialogos(['model', 'score', FILE, '--state', d, '--top', '2', '--json'], env);
    assert.equal(a.status, 0, a.stderr);
    const sa = JSON.parse(a.stdout) as { model: string; lines: unknown[] };
    assert.equal(sa.model, join(shipped, 'dialogos-mini.gguf'));
    assert.equal(sa.lines.length, 2);
    const rank = dialogos(['model', 'rank', '--at', `${FILE}:3`, 'let x = 1;', '--state', d, '--json'], env);
    assert.equal(rank.status, 0, rank.stderr);
    const ranked = JSON.parse(rank.stdout) as { model: string; ranked: unknown[] };
    assert.equal(ranked.model, join(shipped, 'dialogos-mini.gguf'));
    assert.equal(ranked.ranked.length, 2);
    mkdirSync(join(d, 'train'));
    miniGguf(join(d, 'train', 'dialogos-mini.gguf'), 2);
    // DIALOGOS_STATE selects the instance as --state does (model train writes there too).
    const b = dialogos(['model', 'score', FILE, '--json'], { ...env, DIALOGOS_STATE: d });
    assert.equal(b.status, 0, b.stderr);
    assert.equal((JSON.parse(b.stdout) as { model: string }).model, join(d, 'train', 'dialogos-mini.gguf'));
    const tiny = dialogos(['model', 'eval', '--recipe', 'tiny', '--state', d], env);
    assert.equal(tiny.status, 1);
    assert.ok(tiny.stderr.includes(`Cannot find tiny: "${join(d, 'train', 'tiny.gguf')}" does not exist`), tiny.stderr);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('host start --llm: the instance serves the trained or built dialogos-mini, and says where it looked', () => {
  const d = mkdtempSync(join(tmpdir(), 'dghost-'));
  try {
    const m = hostDefaultModel(d);
    assert.equal(m.looked[0], join(d, 'train', 'dialogos-mini.gguf'));
    assert.ok(m.looked.some((f) => f.endsWith('/build/work/dialogos-mini.gguf')), 'the image build output of the checkout');
    assert.ok(m.looked.some((f) => f.endsWith('/models/dialogos-mini.gguf')));
    mkdirSync(join(d, 'train'));
    miniGguf(join(d, 'train', 'dialogos-mini.gguf'), 1);
    assert.equal(hostDefaultModel(d).file, join(d, 'train', 'dialogos-mini.gguf'));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
