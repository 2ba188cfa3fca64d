// Host tests of native/init.c: it runs as PID 1 of a new PID namespace (unshare --pid --fork), in test mode
// (DIALOGOS_INIT_TEST=1: no mounts, no switch_root) with shell scripts standing in for the stage and main.
// In a PID namespace reboot(2) kills the namespace's init: SIGHUP for a restart, SIGINT for power off.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { prerequisite } from '../testkit/prerequisite.js';

const buildScript = fileURLToPath(new URL('../../native/build.sh', import.meta.url));
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

interface InitRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

describe('native/init.c as PID 1', { skip: prerequisite('root and unshare --pid', canUnshare) }, () => {
  let dir = '';
  let init = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialogos-init-'));
    const r = spawnSync('sh', [buildScript, join(dir, 'bin')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `native/build.sh failed: ${r.stderr}`);
    init = join(dir, 'bin', 'init');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function script(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\nD=${dir}\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** A stage that hands over to `main` (a script) in test mode. */
  function handoverStage(main: string, trial: 0 | 1): string {
    return script('stage.sh', `printf 'NEWROOT=/newroot\\nTRIAL=${trial}\\nGENERATION=g7-test\\n' > $D/run/handover.env\nprintf '%s\\0' ${main} > $D/run/handover.argv\nexit 0`);
  }

  function runInit(stage: string, extraEnv: Record<string, string> = {}, limitMs = 60_000): Promise<InitRun> {
    rmSync(join(dir, 'run'), { recursive: true, force: true });
    spawnSync('mkdir', ['-p', join(dir, 'run')]);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', DIALOGOS_INIT_TEST: '1', DIALOGOS_STAGE: stage, DIALOGOS_RUN_DIR: join(dir, 'run'), ...extraEnv };
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', init], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`init did not finish within ${limitMs} ms; output:\n${output}`));
      }, limitMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, output });
      });
    });
  }

  test('reaps a burst of double-forked orphans: none is left as a zombie', async () => {
    const orphan = script('orphan.sh', 'sleep 0.$(( $$ % 3 ))');
    const main = script('main.sh', `
for i in $(seq 60); do ( ${orphan} & ) ; done
i=0
while [ $i -lt 200 ]; do
  left=$(grep -l '^Name:.*orphan.sh' /proc/[0-9]*/status 2>/dev/null | wc -l)
  [ "$left" = 0 ] && break
  sleep 0.05; i=$((i+1))
done
zombies=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)
echo "orphans-left=$left zombies=$zombies"
kill -USR2 1
sleep 100`);
    const r = await runInit(handoverStage(main, 0));
    assert.match(r.output, /orphans-left=0 zombies=0/, r.output);
    assert.equal(r.signal, 'SIGINT', r.output);
  });

  test('restarts main with exponential backoff', async () => {
    const main = script('main.sh', `date +%s%N >> $D/runs
[ $(wc -l < $D/runs) -ge 5 ] && { kill -USR2 1; sleep 100; }
exit 1`);
    rmSync(join(dir, 'runs'), { force: true });
    const r = await runInit(handoverStage(main, 0));
    const delays = [...r.output.matchAll(/restarting main process in (\d+) ms/g)].map((m) => Number(m[1]));
    assert.deepEqual(delays.slice(0, 4), [100, 200, 400, 800], r.output);
    const t = readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n').map((l) => Number(BigInt(l) / 1_000_000n));
    const gaps = t.slice(1).map((v, i) => v - t[i]!);
    for (const [i, want] of [100, 200, 400, 800].entries()) assert.ok(gaps[i]! >= want - 5, `gap ${i} was ${gaps[i]} ms: ${gaps.join(', ')}`);
    assert.equal(r.signal, 'SIGINT', r.output);
  });

  test('SIGUSR2 powers off: main gets SIGTERM first, then the namespace ends by reboot(2)', async () => {
    const main = script('main.sh', `trap 'echo got-term > $D/term; exit 0' TERM
kill -USR2 1
while :; do sleep 0.05; done`);
    rmSync(join(dir, 'term'), { force: true });
    const r = await runInit(handoverStage(main, 0));
    assert.match(r.output, /dialogos: power off: stopping all processes/);
    assert.equal(readFileSync(join(dir, 'term'), 'utf8'), 'got-term\n');
    assert.equal(r.signal, 'SIGINT', `reboot(RB_POWER_OFF) in a PID namespace kills its init with SIGINT:\n${r.output}`);
  });

  test('SIGTERM to PID 1 reboots after forwarding SIGTERM to main', async () => {
    const main = script('main.sh', `trap 'echo got-term > $D/term; exit 0' TERM
kill -TERM 1
while :; do sleep 0.05; done`);
    rmSync(join(dir, 'term'), { force: true });
    const r = await runInit(handoverStage(main, 0));
    assert.match(r.output, /dialogos: reboot: stopping all processes/);
    assert.equal(readFileSync(join(dir, 'term'), 'utf8'), 'got-term\n');
    assert.equal(r.signal, 'SIGHUP', r.output);
  });

  test('a main that keeps failing during its trial reboots to count the try', async () => {
    const r = await runInit(handoverStage(script('main.sh', 'exit 3'), 1));
    assert.match(r.output, /dialogos: generation g7-test main process failed 3 times during its trial; rebooting to count the try/);
    assert.equal((r.output.match(/main process exited with status 3/g) ?? []).length, 3);
    assert.equal(r.signal, 'SIGHUP', `reboot(RB_AUTOBOOT) in a PID namespace kills its init with SIGHUP:\n${r.output}`);
  });

  test('a failing stage is retried once in recovery mode, then the emergency shell runs', async () => {
    const stage = script('stage.sh', `echo "recovery=\${DIALOGOS_STAGE_RECOVERY:-0}" >> $D/stage-runs
[ -n "$DIALOGOS_STAGE_RECOVERY" ] && kill -SEGV $$
exit 1`);
    const shell = script('shell.sh', 'echo shell-started; kill -USR2 1; sleep 100');
    rmSync(join(dir, 'stage-runs'), { force: true });
    const r = await runInit(stage, { DIALOGOS_SHELL: shell });
    assert.equal(readFileSync(join(dir, 'stage-runs'), 'utf8'), 'recovery=0\nrecovery=1\n');
    const order = ['boot stage exited with status 1', 'retrying the boot stage in recovery mode', 'boot stage was killed by signal 11', 'emergency shell', 'shell-started'];
    let at = -1;
    for (const marker of order) {
      const i = r.output.indexOf(marker, at + 1);
      assert.ok(i > at, `"${marker}" missing or out of order:\n${r.output}`);
      at = i;
    }
    assert.equal(existsSync(join(dir, 'run', 'handover.env')), false);
    assert.equal(r.signal, 'SIGINT', r.output);
  });

  test('an unusable handover is not run: the stage is retried, then the shell', async () => {
    const stage = script('stage.sh', `printf 'NEWROOT=/newroot\\nTRIAL=0\\nGENERATION=g7-test\\n' > $D/run/handover.env
printf '/bin/echo\\0should-not-run' > $D/run/handover.argv`);
    const shell = script('shell.sh', 'kill -USR2 1; sleep 100');
    const r = await runInit(stage, { DIALOGOS_SHELL: shell });
    assert.equal((r.output.match(/handover.argv is too long or not NUL-terminated/g) ?? []).length, 2, r.output);
    assert.doesNotMatch(r.output, /should-not-run/);
    assert.match(r.output, /the boot stage failed twice; nothing was booted/);
    assert.equal(r.signal, 'SIGINT', r.output);
  });

  test('refuses to run when it is not PID 1 (kill(-1) would reach the whole host)', () => {
    const r = spawnSync(init, [], { encoding: 'utf8', env: { DIALOGOS_INIT_TEST: '1' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /must run as PID 1/);
  });
});
