// The composed daemon in issue 2's host mode with the issue 3 layer on top: the API serves status with
// the generation's outcome, the store's generations through the bound reader, and power requests (which
// keep issue 2's refund rule); a bad spec file on disk does not keep dialogosd or its API down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiCall, ApiResponseError, type StatusBody } from './api/index.js';
import { runDaemon } from './daemon.js';
import { JsonFileStore, writeTinyStore } from '../testkit/core/fakes.js';
import { openJournalReader } from './journal/index.js';
import type { GenBindings } from './ports.js';

const ID = 'g8-0123456789ab';
const bindings: GenBindings = {
  openStore: (dir) => new JsonFileStore(dir),
  generateSigningKey: () => ({ keyId: 'mk1', privateKeyPem: 'PEM\n', publicKey: 'cHVibGlj' }),
};

test('status, generations and power through the API; a bad spec file is survived and reported', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dialogosd-api-'));
  const data = join(root, 'data');
  const run = join(root, 'run');
  await writeTinyStore(data, ID, { windowSeconds: 10, checks: [{ name: 'true', kind: 'command', argv: ['true'], timeoutSeconds: 5 }] });
  await mkdir(run, { recursive: true });
  await writeFile(join(run, 'handover.json'), JSON.stringify({ generation: ID, trial: true, argv: ['/usr/bin/node', '/dialogos/bin/dialogos.mjs'], newRoot: '/newroot' }));
  const specs = join(data, 'dialogos', 'specs');
  await mkdir(specs, { recursive: true });
  await writeFile(join(specs, 'broken.json'), '{"kind":"service","name":"x","command":[1]}');
  const lines: string[] = [];
  const handlers = new Map<string, () => void>();
  const code = runDaemon({
    dataDir: data, runDir: run, hostMode: true, shell: false, bindings, env: {},
    console: { line: (t) => { lines.push(t); } }, onSignal: (sig, fn) => { handlers.set(sig, fn); },
  });
  const socketPath = join(run, 'api.sock');
  let s: StatusBody | undefined;
  for (let k = 0; k < 400 && s?.phase !== 'running'; k++) {
    s = await apiCall<StatusBody>({ socketPath }, 'GET', '/v1/status').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.equal(s?.phase, 'running', JSON.stringify(s));
  assert.deepEqual(s!.generation, { id: ID, trial: true, outcome: 'blessed' });
  assert.deepEqual(s!.services, [], 'the invalid machine specs were not applied');
  assert.ok(lines.some((l) => /^dialogos: error: Cannot apply specs: .*broken\.json.*command/.test(l)), lines.join('\n'));
  assert.equal(lines.filter((l) => l.startsWith('dialogos ready')).length, 1);

  const gens = await apiCall<{ state: { generations: Record<string, { status: string }> } }>({ socketPath }, 'GET', '/v1/generations');
  assert.equal(gens.state.generations[ID]?.status, 'good');
  const one = await apiCall<{ id: string; entry: { status: string } }>({ socketPath }, 'GET', `/v1/generations/${ID}`);
  assert.equal(one.entry.status, 'good');
  await assert.rejects(apiCall({ socketPath }, 'GET', '/v1/generations/g9-000000000000'), (e: ApiResponseError) => e.status === 404 && e.remoteName === 'GenerationMissingError');

  const p = await apiCall<{ action: string; refunded: boolean }>({ socketPath }, 'POST', '/v1/power', { action: 'reboot' });
  assert.deepEqual(p, { action: 'reboot', generation: ID, refunded: false });
  assert.equal(await readFile(join(run, 'power-request'), 'utf8'), 'reboot\n');

  handlers.get('SIGTERM')!();
  assert.equal(await code, 0);
  const entries = await openJournalReader({ dir: join(data, 'dialogos', 'journal') }).list();
  assert.ok(entries.some((e) => e.level === 'error' && e.fields.issues?.includes('broken.json')), 'the issues are journaled');
  assert.ok(entries.some((e) => e.message === `dialogos ready generation=${ID}`), 'issue 2 console lines are journaled too');
  assert.equal(entries.at(-1)?.message, 'dialogosd stopped');
});
