// kill -9 of the loop for real: a child runs a loop whose evaluator is slow, is killed mid-run, and the run
// is resumed here from the archive: nothing evaluated is evaluated again, every record is whole, the
// recorded budget holds over both processes, and the run ends at it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { openArchive } from '../archive/archive.js';
import { TOOLS } from '../../testkit/evolve/archive-records.js';
import { runLoop } from './loop.js';
import { DEFECT, TARGET, defectTree, edit, given, judge } from '../../testkit/evolve/loop-parts.js';

const url = (f: string) => JSON.stringify(pathToFileURL(join(import.meta.dirname, f)).href);
const child = (root: string, dir: string) => `
  const { openArchive } = await import(${url('../archive/archive.js')});
  const { TOOLS } = await import(${url('../../testkit/evolve/archive-records.js')});
  const { runLoop } = await import(${url('./loop.js')});
  const { DEFECT, TARGET, edit, given, judge } = await import(${url('../../testkit/evolve/loop-parts.js')});
  const archive = openArchive(${JSON.stringify(dir)});
  const many = Array.from({ length: 40 }, (_, i) => edit(DEFECT, 'export const add = ' + i + ';\\n'));
  const slow = judge(() => false);
  let n = 0;
  const evaluate = async (c, t) => { if (++n === 3) process.stdout.write('busy\\n'); await new Promise((r) => setTimeout(r, 15)); return slow(c, t); };
  await runLoop({ archive, root: ${JSON.stringify(root)}, tools: TOOLS, spec: 'test:src/m.test.ts', target: TARGET,
    budget: { evaluations: 20, minutes: null }, proposers: [given('many', many)], evaluate });`;

test('a loop killed with SIGKILL resumes from the archive and keeps its recorded budget', { timeout: 60_000 }, async () => {
  const root = defectTree();
  const dir = mkdtempSync(join(tmpdir(), 'evolve-loop-kill-'));
  try {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child(root, dir)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      p.stdout.once('data', () => setTimeout(() => p.kill('SIGKILL'), Math.floor(Math.random() * 80)));
      p.on('exit', (code, sig) => (sig === 'SIGKILL' ? res() : rej(new Error(`the loop exited with ${code} before the kill`))));
    });
    const archive = openArchive(dir);
    try {
      for (const f of readdirSync(join(dir, 'candidates'))) JSON.parse(readFileSync(join(dir, 'candidates', f), 'utf8'));
      const [killed] = archive.runs();
      assert.equal(killed?.status, 'running');
      const before = archive.candidates(killed!.id).length;
      assert.ok(before >= 2 && before < 20, `${before} evaluated before the kill`);
      const judged: string[] = [];
      const evaluate: ReturnType<typeof judge> = async (c, t) => { judged.push(c.id); return judge(() => false)(c, t); };
      const many = Array.from({ length: 40 }, (_, i) => edit(DEFECT, `export const add = ${i};\n`));
      const run = await runLoop({ archive, root, tools: TOOLS, resume: killed!.id, budget: { evaluations: 1000, minutes: null }, target: TARGET, proposers: [given('many', many)], evaluate });
      assert.equal(run.status, 'budget');
      assert.equal(run.counts.evaluated, 20, 'the budget recorded at the start, not the one offered on resume');
      assert.equal(judged.length, 20 - before, 'nothing judged before the kill is judged again');
      assert.equal(new Set(archive.candidates(run.id).map((e) => e.id)).size, 20);
      assert.ok(run.logs.some((l) => l.startsWith('resumed at')));
      await assert.rejects(runLoop({ archive, root, tools: TOOLS, resume: run.id, proposers: [], evaluate }), { name: 'InvalidRunError', message: /it ended \(budget/ });
    } finally {
      archive.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
