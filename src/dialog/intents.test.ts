import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matchIntent } from './intents.js';

const CASES: Array<[string, unknown]> = [
  ['where is writeGeneration defined?', { kind: 'tool', tool: 'code_definition', args: { name: 'writeGeneration' } }],
  ['Where is the function `Store.listDir` implemented', { kind: 'tool', tool: 'code_definition', args: { name: 'Store.listDir' } }],
  ['who calls openJournal?', { kind: 'tool', tool: 'code_callers', args: { name: 'openJournal' } }],
  ['where is parseManifest() used', { kind: 'tool', tool: 'code_callers', args: { name: 'parseManifest' } }],
  ['what does module src/core/journal do?', { kind: 'module', name: 'src/core/journal' }],
  ['what does the journal do', { kind: 'module', name: 'journal' }],
  ['which tests cover parseGenerationId?', { kind: 'tool', tool: 'code_tests', args: { name: 'parseGenerationId' } }],
  ['what changed between g1-aaa and g2-bbb?', { kind: 'tool', tool: 'code_diff', args: { a: 'g1-aaa', b: 'g2-bbb' } }],
  ['status', { kind: 'tool', tool: 'status', args: {} }],
  ['Why did web fail?', { kind: 'why', unit: 'web' }],
  ['why is the db service down', { kind: 'why', unit: 'db' }],
  ['show logs of web', { kind: 'tool', tool: 'journal', args: { unit: 'web', limit: 30 } }],
  ['list services', { kind: 'tool', tool: 'services_list', args: {} }],
  ['Restart the web service', { kind: 'tool', tool: 'service_action', args: { action: 'restart', name: 'web' } }],
  ['switch to generation g3-0123456789ab', { kind: 'tool', tool: 'generation_switch', args: { id: 'g3-0123456789ab' } }],
  ['roll back', { kind: 'tool', tool: 'generation_rollback', args: {} }],
  ['show src/gen/store.ts:40-60', { kind: 'tool', tool: 'code_read', args: { path: 'src/gen/store.ts', from: 40, to: 60 } }],
  ['run tests gen', { kind: 'tool', tool: 'run_test', args: { filter: 'gen' } }],
  ['which model', { kind: 'tool', tool: 'model_info', args: {} }],
  ['help', { kind: 'help' }],
  ['make me a sandwich', { kind: 'unknown' }],
];

test('question and command patterns', () => {
  for (const [q, want] of CASES) assert.deepEqual(matchIntent(q), want, q);
});

test('any input gets an intent and never throws', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { assert.ok(matchIntent(s).kind); }), { numRuns: 2000 });
});

test('a state-changing intent only comes from the command forms', () => {
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
    const i = matchIntent(`tell me ${s}`);
    assert.ok(!(i.kind === 'tool' && ['service_action', 'generation_switch', 'generation_rollback'].includes(i.tool)), s);
  }), { numRuns: 1000 });
});
