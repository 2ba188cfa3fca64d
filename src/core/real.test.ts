import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleShell } from './real.js';
import { realClock } from './services/index.js';

async function until(cond: () => Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the console shell runs on the given tty, is restarted when it exits, and stop ends it', async () => {
  const d = await mkdtemp(join(tmpdir(), 'dialogos-shell-'));
  const tty = join(d, 'console');
  await writeFile(tty, '');
  // Each run appends a line then exits at once the first time, so the launcher must restart it.
  const count = join(d, 'runs');
  const script = `echo run >> ${count}; n=$(wc -l < ${count}); echo "shell $n"; [ "$n" -ge 2 ] && exec sleep 30; exit 0`;
  const h = consoleShell(tty, ['sh', '-c', script]).start();
  await until(async () => (await readFile(tty, 'utf8')).includes('shell 2'), 'the restarted shell');
  const t0 = Date.now();
  await h.stop();
  assert.ok(Date.now() - t0 < 5000);
  const runs = (await readFile(count, 'utf8')).trim().split('\n').length;
  // A restart would come 1 s after an exit: wait past that once to see that none comes.
  await realClock.sleep(1300);
  assert.equal((await readFile(count, 'utf8')).trim().split('\n').length, runs, 'no restart after stop');
});

test('realClock.sleep returns early on abort', async () => {
  const ac = new AbortController();
  const t0 = Date.now();
  setTimeout(() => ac.abort(), 20);
  await realClock.sleep(10_000, ac.signal);
  assert.ok(Date.now() - t0 < 5000);
});
