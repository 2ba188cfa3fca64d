// Progress output: a redrawn bar on a terminal, rate-limited plain lines otherwise, always with step, loss,
// tokens/s and ETA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressReporter } from './progress.js';

const report = (step: number, checkpointed = false) => ({ step, steps: 10, loss: 2.5, tokensPerSecond: 1234.4, etaSeconds: 75, checkpointed });

test('a terminal gets one redrawn bar; a pipe gets lines at checkpoints and the end', () => {
  let tty = '';
  const bar = progressReporter((s) => { tty += s; }, true);
  for (let i = 1; i <= 10; i++) bar.step(report(i));
  bar.done();
  assert.equal(tty.split('\r').length - 1, 10);
  assert.match(tty, /\[#{24}\] step 10\/10 loss 2\.5000 1234 tok\/s eta 01:15/);
  assert.ok(tty.endsWith('\n'));
  const lines: string[] = [];
  const plain = progressReporter((s) => lines.push(s), false, 60_000);
  for (let i = 1; i <= 10; i++) plain.step(report(i, i === 5));
  assert.deepEqual(lines.map((l) => l.split(' ')[1]), ['1/10', '5/10', '10/10']);
  assert.ok(lines.every((l) => !l.includes('\r') && l.endsWith('\n')));
});
