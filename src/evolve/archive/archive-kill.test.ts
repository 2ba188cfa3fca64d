// kill -9 for real: a child process writes candidates and run records as fast as it can; it is killed with
// SIGKILL at random moments, and after each kill the archive reopens with every record whole, the index
// matching the records, and the dead writer's lock taken over.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { openArchive } from './archive.js';

const here = import.meta.dirname;
const writer = (dir: string, from: number) => `
  const { openArchive } = await import(${JSON.stringify(pathToFileURL(join(here, 'archive.js')).href)});
  const { candidateRecord, runRecord } = await import(${JSON.stringify(pathToFileURL(join(here, '../../testkit/evolve/archive-records.js')).href)});
  const a = openArchive(${JSON.stringify(dir)});
  process.stdout.write('open\\n');
  for (let n = ${from}; ; n++) {
    a.putCandidate(candidateRecord('r-kill', n, { decision: n % 3 ? 'rejected' : 'accepted', fitness: n }, 20000 + (n % 7) * 9000));
    a.putRun(runRecord('r-kill', { status: n % 2 ? 'running' : 'budget', history: [{ id: 'c-x', fitness: n, accepted: false }] }));
  }`;

function killAfter(dir: string, from: number, ms: number): Promise<void> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', writer(dir, from)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), ms));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? res() : rej(new Error(`writer exited with ${code} before the kill`))));
  });
}

function verify(dir: string): number {
  const a = openArchive(dir); // a writer: it takes over the dead lock and repairs
  try {
    const files = readdirSync(join(dir, 'candidates'));
    assert.deepEqual(files.filter((f) => !f.endsWith('.json')), [], 'no temporary file is left');
    const records = files.map((f) => JSON.parse(readFileSync(join(dir, 'candidates', f), 'utf8')) as { id: string; decision: string; fitness: number });
    const lines = readFileSync(join(dir, 'index.jsonl'), 'utf8');
    assert.ok(lines.endsWith('\n'));
    const indexed = lines.trimEnd().split('\n').map((l) => JSON.parse(l) as { t: string; id: string; decision: string; fitness: number });
    const byId = new Map(indexed.filter((e) => e.t === 'candidate').map((e) => [e.id, e]));
    assert.equal(byId.size, records.length, 'one index line per record');
    for (const r of records) assert.deepEqual([byId.get(r.id)?.decision, byId.get(r.id)?.fitness], [r.decision, r.fitness]);
    assert.equal(a.runs().length, 1, 'the run record parses');
    return records.length;
  } finally {
    a.close();
  }
}

test('kill -9 of a writer at random moments leaves the archive whole and the index matching', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-kill-'));
  try {
    let before = 0;
    for (let round = 0; round < 8; round++) {
      await killAfter(dir, round * 1_000_000, 20 + Math.floor(Math.random() * 180));
      const n = verify(dir);
      assert.ok(n >= before, 'nothing written before is lost');
      before = n;
    }
    assert.ok(verify(dir) > 0, 'the writer got something written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
