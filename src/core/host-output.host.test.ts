// Host mode, real processes: a service's binary and over-long output reaches the journal byte-exact,
// read back through the CLI (`dialogos logs --json`) and the API.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAIN, service, startInstance, until, type Instance } from '../testkit/core/hostkit.js';
import { streamBytes, type JournalEntry } from './journal/index.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** `dialogos ...args`, stdout as bytes (a string per chunk could split a UTF-8 character). */
function cliBytes(args: string[]): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, DIALOGOS_STATE: '' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => { err += String(d); });
    child.on('exit', (code) => resolve({ code, out: Buffer.concat(out), err }));
  });
}

describe('host mode: service output in the journal', () => {
  const instances: Instance[] = [];
  after(async () => { for (const i of instances) await i.dispose(); });

  it('keeps random binary and a 5 MB line byte-exact (stdout and stderr apart)', async () => {
    const i = await startInstance();
    instances.push(i);
    const stdout = Buffer.concat([
      randomBytes(256 * 1024), Buffer.from('\n<3>prio line\r\n\uFEFFbom é €\n'), Buffer.alloc(5 * 1024 * 1024, 'y'), Buffer.from('\n'),
      randomBytes(64 * 1024), Buffer.from('last line without newline'),
    ]);
    const stderr = Buffer.concat([randomBytes(100_000), Buffer.from('\nend\n')]);
    await writeFile(join(i.state, 'out.bin'), stdout);
    await writeFile(join(i.state, 'err.bin'), stderr);
    const r = await i.apply([service('blob', `cat ${join(i.state, 'out.bin')}; cat ${join(i.state, 'err.bin')} >&2`, { restart: { policy: 'never' } })]);
    assert.equal(r.code, 0, r.stderr);
    await i.waitUnit('blob', (s) => s.state === 'inactive' && s.lastExit !== null, 60_000);
    // The unit's status change is journaled after its streams ended; wait until the stderr tail is in.
    const entries = async (): Promise<JournalEntry[]> => {
      const got = await cliBytes(['logs', '-u', 'blob', '--json', '-n', '100000', '--state', i.state]);
      assert.equal(got.code, 0, got.err);
      return got.out.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JournalEntry);
    };
    let all = await entries();
    for (let n = 0; n < 50 && !all.some((e) => e.fields.stream === 'stderr' && e.message === 'end'); n++) all = await entries();
    const of = (s: string, list: JournalEntry[]): Buffer => streamBytes(list.filter((e) => e.fields.stream === s));
    assert.equal(sha(of('stdout', all)), sha(stdout), `stdout: ${of('stdout', all).length} of ${stdout.length} bytes`);
    assert.equal(sha(of('stderr', all)), sha(stderr), `stderr: ${of('stderr', all).length} of ${stderr.length} bytes`);
    const big = all.filter((e) => e.fields.part !== undefined && e.message.startsWith('yyyy'));
    assert.equal(big.length, Math.ceil((5 * 1024 * 1024) / (16 * 1024)), 'the 5 MB line in 16 KiB pieces');
    assert.ok(all.some((e) => e.level === 'error' && e.message === 'prio line' && e.fields.cr === 'true'));
    for (const [stream, want] of [['stdout', stdout], ['stderr', stderr]] as const) {
      const raw = await cliBytes(['logs', '-u', 'blob', '--raw', '--stream', stream, '-n', '100000', '--state', i.state]);
      assert.equal(raw.code, 0, raw.err);
      assert.equal(sha(raw.out), sha(want), `logs --raw --stream ${stream}: ${raw.out.length} of ${want.length} bytes`);
    }
    const api = await i.journal('unit=blob&limit=100000');
    assert.equal(sha(of('stdout', api)), sha(stdout), 'the API gives the same bytes');
    const st = await i.cli('status');
    assert.match(st.stdout, /blob/, 'dialogosd still answers');
  });

  it('logs -f honours --since, --until, --unit, --level and --grep: backlog from since, then live, then exits', async () => {
    const i = await startInstance();
    instances.push(i);
    // Warnings (<4>) and info lines, each numbered, from two units.
    const tick = (tag: string) => `n=0; while true; do n=$((n+1)); echo "<4>${tag} tick $n"; echo "${tag} info $n"; sleep 0.1; done`;
    assert.equal((await i.apply([service('chatty', tick('chatty')), service('other', tick('other'))])).code, 0);
    await i.waitUnit('chatty', (s) => s.state === 'running');
    const since = new Date().toISOString();
    // Something matching is stored after `since` before the follow starts: it must come as backlog.
    await until('a warning after --since', async () => (await i.journal(`unit=chatty&level=warn&since=${since}&limit=1`))[0]);
    const started = Date.now();
    const end = new Date(started + 2500).toISOString();
    const r = await cliBytes(['logs', '-f', '-u', 'chatty', '-p', 'warn', '-g', 'TICK', '--since', since, '--until', end, '--json', '--state', i.state]);
    assert.equal(r.code, 0, r.err);
    assert.ok(Date.now() >= Date.parse(end), 'it ran until --until');
    const got = r.out.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JournalEntry);
    assert.ok(got.length >= 3, `entries: ${got.length}`);
    for (const e of got) {
      assert.equal(e.unit, 'chatty');
      assert.equal(e.level, 'warn');
      assert.match(e.message, /^chatty tick \d+$/);
      assert.ok(e.time >= since && e.time <= end, `${e.time} within [${since}, ${end}]`);
    }
    assert.ok(Date.parse(got[0]!.time) < started, 'the backlog since --since came first');
    assert.ok(Date.parse(got.at(-1)!.time) > started + 1000, 'then live entries');
    const n = got.map((e) => Number(/\d+$/.exec(e.message)![0]));
    assert.deepEqual(n, n.map((_, k) => n[0]! + k), 'no gap, no repeat');
  });
});
