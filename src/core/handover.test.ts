import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvFile, readHandover } from './handover.js';

const dir = () => mkdtemp(join(tmpdir(), 'dialogos-run-'));

test('reads handover.json', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.json'), JSON.stringify({ newRoot: '/newroot', argv: ['/usr/bin/node', '/dialogos/bin/dialogos.mjs'], trial: true, generation: 'g3-abcdef012345' }));
  assert.deepEqual(await readHandover(d, {}), { generation: 'g3-abcdef012345', trial: true, source: 'handover.json' });
});

test('refuses a handover.env in any shape but the one the stage writes (src/gen/handover.ts)', async () => {
  const d = await dir();
  // Comments, quotes, other keys and ids that parseGenerationId refuses were once read: no longer.
  await writeFile(join(d, 'handover.env'), '# from the boot stage\nDIALOGOS_GENERATION="g4-abc"\nDIALOGOS_TRIAL=0\n');
  await assert.rejects(readHandover(d, {}), { name: 'HandoverReadError', message: /handover\.env": Cannot use the handover's handover\.env: line "# from the boot stage" is not/ });
  await writeFile(join(d, 'handover.env'), 'NEWROOT=/newroot\nTRIAL=0\nGENERATION=g4-abc\n');
  await assert.rejects(readHandover(d, {}), (e: Error) => e.name === 'HandoverReadError' && (e.cause as Error).name === 'HandoverFormatError' && /"g4-abc" is not valid/.test(e.message));
});

test('reads the handover.env PID 1 reads (NEWROOT, TRIAL, GENERATION)', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.env'), 'NEWROOT=/newroot\nTRIAL=1\nGENERATION=g2-0123456789ab\n');
  assert.deepEqual(await readHandover(d, {}), { generation: 'g2-0123456789ab', trial: true, source: 'handover.env' });
});

test('environment variables from PID 1 win', async () => {
  const d = await dir();
  await writeFile(join(d, 'handover.json'), JSON.stringify({ generation: 'g1-0123456789ab', trial: false }));
  assert.deepEqual(await readHandover(d, { DIALOGOS_GENERATION: 'g9-aaaaaaaaaaaa', DIALOGOS_TRIAL: '1' }), { generation: 'g9-aaaaaaaaaaaa', trial: true, source: 'env' });
  assert.deepEqual(await readHandover(d, { DIALOGOS_GENERATION: 'g9-aaaaaaaaaaaa', DIALOGOS_TRIAL: '0' }), { generation: 'g9-aaaaaaaaaaaa', trial: false, source: 'env' });
});

test('the environment follows the same rules as the files', async () => {
  const d = await dir();
  await assert.rejects(readHandover(d, { DIALOGOS_GENERATION: 'g9-y', DIALOGOS_TRIAL: '1' }), { name: 'HandoverReadError', message: /generation id "g9-y" is not valid/ });
  await assert.rejects(readHandover(d, { DIALOGOS_GENERATION: 'g9-aaaaaaaaaaaa', DIALOGOS_TRIAL: 'yes' }), { name: 'HandoverReadError', message: /TRIAL "yes" is not 0 or 1/ });
  await assert.rejects(readHandover(d, { DIALOGOS_GENERATION: 'g9-aaaaaaaaaaaa' }), { name: 'HandoverReadError', message: /TRIAL undefined is not 0 or 1/ });
});

test('no handover, malformed JSON or a bad id are HandoverReadError', async () => {
  const d = await dir();
  await assert.rejects(readHandover(d, {}), { name: 'HandoverReadError', message: /not running under Dialogos/ });
  await writeFile(join(d, 'handover.json'), '{');
  await assert.rejects(readHandover(d, {}), { name: 'HandoverReadError' });
  await writeFile(join(d, 'handover.json'), JSON.stringify({ generation: '../etc' }));
  await assert.rejects(readHandover(d, {}), { name: 'HandoverReadError', message: /"\.\.\/etc" is not valid/ });
  await writeFile(join(d, 'handover.json'), JSON.stringify({ generation: 'g3-abcdef012345', trial: true }));
  await assert.rejects(readHandover(d, {}), { name: 'HandoverReadError', message: /NEWROOT undefined is not an absolute path/ });
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
