// `dialogos model train` end to end in child processes: a run killed with SIGKILL mid-way and resumed ends
// with the same loss curve and the same GGUF as a straight run; --max-seconds stops early; `model score`
// lists lines; bad input exits 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointFile, loadCheckpoint, runningRoot } from '../train/index.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
const ROOT = runningRoot();
const STEPS = '240';

function trainArgs(dir: string, extra: string[] = []): string[] {
  return [CLI, 'model', 'train', '--recipe', 'tiny', '--source', ROOT, '--steps', STEPS, '--threads', '1',
    '--checkpoint-dir', join(dir, 'ck'), '--out', join(dir, 'm.gguf'), '--json', ...extra];
}

function runToEnd(args: string[]): { code: number | null; out: unknown } {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return { code: r.status, out: JSON.parse(r.stdout) };
}

test('kill -9 mid-training, then --resume, reproduces the straight run exactly', async () => {
  const a = mkdtempSync(join(tmpdir(), 'dgtrain-straight-'));
  const b = mkdtempSync(join(tmpdir(), 'dgtrain-killed-'));
  try {
    const straight = runToEnd(trainArgs(a)).out as { sha256: string; step: number };
    const child = spawn(process.execPath, trainArgs(b, ['--progress-every', '0']), { stdio: ['ignore', 'ignore', 'pipe'] });
    let killedAt = 0;
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => {
      let buf = '';
      child.stderr.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = [...buf.matchAll(/step (\d+)\/\d+ .*\[checkpoint\]/g)].at(-1);
        if (m && Number(m[1]) >= 60 && !killedAt) { killedAt = Number(m[1]); child.kill('SIGKILL'); }
      });
      child.on('exit', (_code, signal) => resolve(signal));
    });
    assert.equal(exit, 'SIGKILL', 'the first run must die by SIGKILL, not finish');
    const resumed = runToEnd(trainArgs(b, ['--resume'])).out as { sha256: string; resumedFrom: number; step: number };
    assert.ok(resumed.resumedFrom >= killedAt && resumed.resumedFrom < Number(STEPS), `resumed from ${resumed.resumedFrom}, killed at ${killedAt}`);
    const la = loadCheckpoint(checkpointFile(join(a, 'ck')))!.meta.losses;
    const lb = loadCheckpoint(checkpointFile(join(b, 'ck')))!.meta.losses;
    assert.equal(lb.length, Number(STEPS));
    assert.deepEqual(lb, la);
    assert.equal(resumed.sha256, straight.sha256);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('--max-seconds stops early with a checkpoint; bad options exit 2 with a message', () => {
  const d = mkdtempSync(join(tmpdir(), 'dgtrain-budget-'));
  try {
    const r = runToEnd([CLI, 'model', 'train', '--recipe', 'tiny', '--source', ROOT, '--steps', '1000000', '--max-seconds', '1',
      '--checkpoint-dir', join(d, 'ck'), '--out', join(d, 'm.gguf'), '--json']).out as { finished: boolean; step: number };
    assert.equal(r.finished, false);
    assert.ok(r.step > 0 && r.step < 1_000_000);
    assert.equal(loadCheckpoint(checkpointFile(join(d, 'ck')))!.meta.step, r.step);
    const score = spawnSync(process.execPath, [CLI, 'model', 'score', join(ROOT, 'src', 'train', 'rng.ts'), '--model', join(d, 'm.gguf'), '--top', '3', '--json'], { encoding: 'utf8' });
    assert.equal(score.status, 0, score.stderr);
    const scored = JSON.parse(score.stdout) as { lines: { line: number; bitsPerByte: number }[] };
    assert.equal(scored.lines.length, 3);
    assert.ok(scored.lines[0]!.bitsPerByte >= scored.lines[2]!.bitsPerByte);
    for (const [args, text] of [
      [['--threads', '0'], '--threads must be an integer'],
      [['--recipe', join(d, 'missing.json')], 'Cannot read recipe'],
      [['--type', 'q4'], 'Cannot write weights as "q4"'],
    ] as const) {
      const bad = spawnSync(process.execPath, [CLI, 'model', 'train', '--source', ROOT, '--out', join(d, 'x.gguf'), ...args], { encoding: 'utf8' });
      assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
      assert.ok(bad.stderr.includes(text), bad.stderr);
      assert.ok(!bad.stderr.includes('    at '), 'no stack trace');
    }
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
