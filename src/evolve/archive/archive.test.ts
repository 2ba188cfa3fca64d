// The archive: content-addressed records, an index that survives a torn last line and missed records,
// one writer at a time (the lock names the holder), and ids checked before they become paths.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openArchive } from './archive.js';
import { candidateRecord, runRecord } from '../../testkit/evolve/archive-records.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'evolve-archive-'));

test('a candidate is stored once by its id and read back whole; runs are listed', () => {
  const dir = tmp();
  try {
    const a = openArchive(dir);
    const rec = candidateRecord('r-1', 1, { decision: 'accepted', fitness: 2 });
    assert.equal(a.putCandidate(rec), true);
    assert.equal(a.putCandidate({ ...rec, fitness: 99 }), false, 'the first evaluation stands');
    a.putRun(runRecord('r-1'));
    a.putRun(runRecord('r-1', { status: 'met' }));
    a.close();
    const b = openArchive(dir, { readOnly: true });
    assert.deepEqual(b.getCandidate(rec.id), rec);
    assert.equal(b.has(rec.id), true);
    assert.deepEqual(b.candidates('r-1').map((e) => [e.id, e.decision, e.fitness]), [[rec.id, 'accepted', 2]]);
    assert.deepEqual(b.runs().map((r) => r.status), ['met']);
    assert.deepEqual(b.resolve(rec.id.slice(0, 6)), { kind: 'candidate', id: rec.id });
    assert.throws(() => b.resolve('zz'), { name: 'ArchiveNotFoundError' });
    assert.throws(() => b.putRun(runRecord('r-2')), { name: 'ArchiveReadOnlyError' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ids are checked before they become paths', () => {
  const dir = tmp();
  try {
    const a = openArchive(dir);
    assert.throws(() => a.getCandidate('../../etc/passwd'), { name: 'InvalidArchiveIdError', message: /"\.\.\/\.\.\/etc\/passwd"/ });
    assert.throws(() => a.putCandidate({ ...candidateRecord('r-1', 1), id: 'c-../x' }), { name: 'InvalidArchiveIdError' });
    assert.throws(() => a.getRun('r-nope'), { name: 'ArchiveNotFoundError' });
    a.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a writer cuts a torn last index line and indexes records the index missed', () => {
  const dir = tmp();
  try {
    const a = openArchive(dir);
    a.putCandidate(candidateRecord('r-1', 1));
    a.close();
    const missed = candidateRecord('r-1', 2, { decision: 'accepted', fitness: 1 });
    writeFileSync(join(dir, 'candidates', `${missed.id}.json`), JSON.stringify(missed));
    writeFileSync(join(dir, 'candidates', `.${missed.id}.json.tmp-1-abcd`), '{"half');
    appendFileSync(join(dir, 'index.jsonl'), '{"t":"candidate","id":"c-0');
    assert.equal(openArchive(dir, { readOnly: true }).candidates().length, 1, 'a reader skips the torn line');
    const b = openArchive(dir);
    assert.deepEqual(b.candidates().map((e) => e.id).sort(), [candidateRecord('r-1', 1).id, missed.id].sort());
    for (const line of readFileSync(join(dir, 'index.jsonl'), 'utf8').trimEnd().split('\n')) JSON.parse(line);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second writer is refused by name while the first lives; a dead holder\'s lock is taken over', async () => {
  const dir = tmp();
  try {
    const a = openArchive(dir);
    assert.throws(() => openArchive(dir), { name: 'ArchiveLockedError', message: new RegExp(`process ${process.pid} holds its lock`) });
    a.close();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1)']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid, host: (await import('node:os')).hostname(), since: '' }));
    openArchive(dir).close();
    writeFileSync(join(dir, 'lock'), '');
    assert.throws(() => openArchive(dir), { name: 'ArchiveLockedError', message: /another process is taking its lock/ }, 'a fresh empty lock is a writer mid-create');
    utimesSync(join(dir, 'lock'), new Date(0), new Date(0));
    openArchive(dir).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
