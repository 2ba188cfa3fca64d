import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMachineKey } from './keys.js';
import type { SigningKey } from './ports.js';

const dir = () => mkdtemp(join(tmpdir(), 'dialogos-keys-'));
function gen(): { calls: number; fn: () => SigningKey } {
  const g = { calls: 0, fn: (): SigningKey => { g.calls++; return { keyId: `m${g.calls}`, privateKeyPem: '-----BEGIN PRIVATE KEY-----\nX\n-----END PRIVATE KEY-----\n', publicKey: 'QUJD' }; } };
  return g;
}

test('first boot makes machine.key (0600) and machine.pub once; later boots reuse them', async () => {
  const d = await dir();
  const g = gen();
  const first = await ensureMachineKey(d, g.fn, 'box');
  assert.deepEqual(first, { created: true, keyId: 'm1', trusted: false, addedToTrust: false });
  assert.equal((await stat(join(d, 'machine.key'))).mode & 0o777, 0o600);
  assert.match(await readFile(join(d, 'machine.key'), 'utf8'), /BEGIN PRIVATE KEY/);
  assert.deepEqual(JSON.parse(await readFile(join(d, 'machine.pub'), 'utf8')), { keyId: 'm1', name: 'machine key of box', publicKey: 'QUJD' });
  const second = await ensureMachineKey(d, g.fn);
  assert.equal(second.created, false);
  assert.equal(g.calls, 1);
  assert.deepEqual((await readdir(d)).sort(), ['machine.key', 'machine.pub'], 'no temporary files and no trust.json without policy');
});

test('trust.json gains the machine key only when policy.json says trustMachineKey: true', async () => {
  for (const policy of [null, '{}', '{"trustMachineKey":false}', '{"trustMachineKey":"yes"}']) {
    const d = await dir();
    if (policy !== null) await writeFile(join(d, 'policy.json'), policy);
    const r = await ensureMachineKey(d, gen().fn);
    assert.equal(r.trusted, false, String(policy));
    assert.equal((await readdir(d)).includes('trust.json'), false, String(policy));
  }
  const d = await dir();
  await writeFile(join(d, 'policy.json'), '{"trustMachineKey":true}');
  await writeFile(join(d, 'trust.json'), JSON.stringify({ keys: [{ keyId: 'dev', name: 'developer', publicKey: 'REVW' }] }));
  const r = await ensureMachineKey(d, gen().fn);
  assert.equal(r.addedToTrust, true);
  const trust = JSON.parse(await readFile(join(d, 'trust.json'), 'utf8')) as { keys: { keyId: string }[] };
  assert.deepEqual(trust.keys.map((k) => k.keyId), ['dev', 'm1']);
  const again = await ensureMachineKey(d, gen().fn);
  assert.equal(again.addedToTrust, false);
  assert.equal((JSON.parse(await readFile(join(d, 'trust.json'), 'utf8')) as { keys: unknown[] }).keys.length, 2);
});

test('a crash after machine.pub but before machine.key makes a fresh complete pair', async () => {
  const d = await dir();
  await writeFile(join(d, 'machine.pub'), JSON.stringify({ keyId: 'old', name: 'x', publicKey: 'T0xE' }));
  const g = gen();
  const r = await ensureMachineKey(d, g.fn);
  assert.equal(r.created, true);
  assert.equal(JSON.parse(await readFile(join(d, 'machine.pub'), 'utf8')).keyId, 'm1');
});

test('malformed trust.json or policy.json is a MachineKeyError, not a silent overwrite', async () => {
  const d = await dir();
  await writeFile(join(d, 'policy.json'), '{"trustMachineKey":true}');
  await writeFile(join(d, 'trust.json'), '{"keys":');
  await assert.rejects(ensureMachineKey(d, gen().fn), { name: 'MachineKeyError' });
  assert.equal(await readFile(join(d, 'trust.json'), 'utf8'), '{"keys":');
});
