// The behaviour every ProcessRunner must show; run against the real (node:child_process) and the
// in-memory runner so that controller tests over the memory one stay honest.
// Not exported from index.ts: it pulls in node:test.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessRunner, SpawnRequest, Stream } from '../../../core/services/ports.js';

export interface RunnerFixture {
  runner: ProcessRunner;
  /** Prints `line` on stdout, `err` on stderr, then exits with `code`. */
  exitWith(code: number, line: string, err: string): SpawnRequest;
  /** Runs until signalled. */
  sleeper(): SpawnRequest;
  /** Starts two further processes in its group, prints "forked", then runs until signalled. */
  family(): SpawnRequest;
  /** Prints the value of environment variable `name`. */
  echoEnv(name: string): SpawnRequest;
  /** Prints one line of `n` "x" characters (no newline inside), then exits 0. */
  longLine(n: number): SpawnRequest;
  /** A command that does not exist. */
  missing(): SpawnRequest;
  cleanup?(): Promise<void>;
}

/** Polls `f` until it returns true, for at most `ms` (no fixed sleeps: a marker with a generous limit). */
export async function eventually(f: () => Promise<boolean> | boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Collected {
  req: SpawnRequest;
  /** `stream:line` for every complete line so far, stdout first. */
  readonly lines: string[];
  bytes(s: Stream): Buffer;
  ended: Set<Stream>;
}

function collect(req: SpawnRequest): Collected {
  const got: Record<Stream, Buffer[]> = { stdout: [], stderr: [] };
  const ended = new Set<Stream>();
  const bytes = (s: Stream): Buffer => Buffer.concat(got[s]);
  return {
    ended,
    bytes,
    get lines() {
      return (['stdout', 'stderr'] as const).flatMap((s) => bytes(s).toString('utf8').split('\n').slice(0, -1).map((l) => `${s}:${l}`));
    },
    req: { ...req, onOutput: (s, chunk) => got[s].push(Buffer.from(chunk)), onOutputEnd: (s) => ended.add(s) },
  };
}

export function processRunnerCompliance(name: string, setup: () => RunnerFixture): void {
  describe(`ProcessRunner compliance: ${name}`, () => {
    const fx = setup();
    const { runner } = fx;
    after(() => fx.cleanup?.());

    it('reports the exit code and hands output lines to the sink', async () => {
      const c = collect(fx.exitWith(7, 'hello', 'oops'));
      const h = await runner.spawn(c.req);
      assert.deepEqual(await h.exited, { code: 7, signal: null });
      await eventually(() => c.lines.length === 2, 5000, 'output lines');
      assert.deepEqual(c.lines.sort(), ['stderr:oops', 'stdout:hello']);
    });

    it('passes the environment', async () => {
      const c = collect(fx.echoEnv('DIALOGOS_T'));
      const h = await runner.spawn({ ...c.req, env: { ...c.req.env, DIALOGOS_T: 'v42' } });
      await h.exited;
      await eventually(() => c.lines.length === 1, 5000, 'the env line');
      assert.deepEqual(c.lines, ['stdout:v42']);
    });

    it('knows start times, adopts only a matching one, and delivers signals', async () => {
      const h = await runner.spawn(fx.sleeper());
      assert.ok(h.startTime.length > 0);
      assert.equal(await runner.startTime(h.pid), h.startTime);
      assert.equal(await runner.adopt(h.pid, `${h.startTime}0`), null, 'a different start time means a reused pid');
      const adopted = await runner.adopt(h.pid, h.startTime);
      assert.ok(adopted);
      h.killGroup('SIGTERM');
      assert.deepEqual(await h.exited, { code: null, signal: 'SIGTERM' });
      await adopted.exited;
      assert.equal(await runner.startTime(h.pid), null);
    });

    it('kills the whole process group', async () => {
      const c = collect(fx.family());
      const h = await runner.spawn(c.req);
      await eventually(() => c.lines.includes('stdout:forked'), 10_000, 'the family to fork');
      const members = await runner.groupMembers(h.pid);
      assert.ok(members.length >= 3, `expected leader and two children in group ${h.pid}, got ${members.join(',')}`);
      h.killGroup('SIGKILL');
      await h.exited;
      await eventually(async () => (await runner.groupMembers(h.pid)).length === 0, 10_000, 'no process left in the group');
    });

    it('hands over the exact bytes of a long line, then the end of each stream', async () => {
      const c = collect(fx.longLine(400_000));
      const h = await runner.spawn(c.req);
      await h.exited;
      await eventually(() => c.ended.size === 2, 10_000, 'both streams to end');
      assert.ok(c.bytes('stdout').equals(Buffer.from(`${'x'.repeat(400_000)}\n`)), `got ${c.bytes('stdout').length} bytes`);
      assert.equal(c.bytes('stderr').length, 0);
    });

    it('killGroup by id on a gone group is harmless', async () => {
      const h = await runner.spawn(fx.exitWith(0, 'x', 'y'));
      await h.exited;
      runner.killGroup(h.pid, 'SIGKILL');
    });

    it('refuses a missing command with ProcessSpawnError', async () => {
      await assert.rejects(runner.spawn(fx.missing()), { name: 'ProcessSpawnError' });
    });
  });
}
