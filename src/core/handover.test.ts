import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvFile, readHandover } from './handover.js';

const dir = () => mkdtemp(join(tmpdir(), 'dialogos-run-'));

test('reads handover.json', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.json'), JSON.stringify({ newRoot: '/newroot', argv: [], trial: true, generation: 'g3-abcdef012345' }));
  assert.deepEqual(await readHandover(d, {}), { generation: 'g3-abcdef012345', trial: true, source: 'handover.json' });
});

test('reads handover.env when there is no JSON', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.env'), '# from the boot stage\nDIALOGOS_GENERATION="g4-abc"\nDIALOGOS_TRIAL=0\n');
  assert.deepEqual(await readHandover(d, {}), { generation: 'g4-abc', trial: false, source: 'handover.env' });
});

test('reads the handover.env PID 1 reads (NEWROOT, TRIAL, GENERATION)', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.env'), 'NEWROOT=/newroot\nTRIAL=1\nGENERATION=g2-0123456789ab\n');
  assert.deepEqual(await readHandover(d, {}), { generation: 'g2-0123456789ab', trial: true, source: 'handover.env' });
});

test('environment variables from PID 1 win', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.json'), JSON.stringify({ generation: 'g1-x', trial: false }));
  assert.deepEqual(await readHandover(d, { DIALOGOS_GENERATION: 'g9-y', DIALOGOS_TRIAL: '1' }), { generation: 'g9-y', trial: true, source: 'env' });
  assert.deepEqual(await readHandover(d, { DIALOGOS_GENERATION: 'g9-y', DIALOGOS_TRIAL: '0' }), { generation: 'g9-y', trial: false, source: 'env' });
});

test('no handover, malformed JSON or a bad id are HandoverError', async () => {
  const d = await dir();
  await assert.rejects(readHandover(d, {}), { name: 'HandoverError', message: /not running under Dialogos/ });
  await writeFile(join(d, 'handover.json'), '{');
  await assert.rejects(readHandover(d, {}), { name: 'HandoverError' });
  await writeFile(join(d, 'handover.json'), JSON.stringify({ generation: '../etc' }));
  await assert.rejects(readHandover(d, {}), { name: 'HandoverError', message: /"\.\.\/etc" is not valid/ });
});

test('parseEnvFile handles export, quotes and comments', () => {
  assert.deepEqual({ ...parseEnvFile("export A=1\n#B=2\n C='x y' \nbad line\nD=") }, { A: '1', C: 'x y', D: '' });
  assert.equal(parseEnvFile('__proto__=x').__proto__, 'x');
});

test('property: parseEnvFile never throws and round-trips simple KEY=VALUE lines', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { parseEnvFile(s); }), { numRuns: 2000 });
  fc.assert(fc.property(fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9._\/-]{0,20}$/)), (kv) => {
    const text = Object.entries(kv).map(([k, v]) => `${k}=${v}`).join('\n');
    const sorted = (o: Record<string, string>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
    assert.deepEqual(sorted(parseEnvFile(text)), sorted(kv));
  }));
});
