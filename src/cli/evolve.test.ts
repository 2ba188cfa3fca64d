// `dialogos evolve` end to end on the host with real small parts (a proposer of given edits, an evaluator
// that accepts the fix): run to the target, then status, ls, show, diff, why and plot read the archive;
// bad targets and budgets are refused with code 2 and leave no archive; a second writer is refused.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { openArchive } from '../evolve/index.js';
import { TOOLS } from '../testkit/evolve/archive-records.js';
import { DEFECT, FIXED, defectTree, edit, fixes, given, judge } from '../testkit/evolve/loop-parts.js';
import type { CliIo } from './api-common.js';
import { realParts, type EvolveParts } from './evolve-compose.js';
import { registerEvolve } from './evolve.js';

const parts: EvolveParts = {
  proposers: async () => [given('given', [edit(DEFECT, 'export const add = 0;\n', 'constant'), edit(DEFECT, FIXED, 'swap-operator')])],
  evaluator: async () => judge(fixes),
  failing: () => async () => [{ file: 'src/m.test.ts', name: 'add adds' }],
  tools: () => TOOLS,
  benchmarks: () => new Map([['x', []]]),
};

async function cli(argv: string[], p = parts): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {} };
  const program = new Command('dialogos').exitOverride();
  registerEvolve(program, io, p);
  process.exitCode = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    process.exitCode = (e as { exitCode?: number }).exitCode ?? 1;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

/** Well-formed XML: one root, every tag closed in order, attributes quoted, no stray '<' or '&'. */
function assertWellFormedXml(text: string): void {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0, pos = 0;
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/y;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    pos = re.lastIndex;
    if (m[5] !== undefined) { assert.doesNotMatch(m[5].replace(/&(amp|lt|gt|quot);/g, ''), /[&>]/, 'text escapes & and >'); continue; }
    if (m[1]) assert.equal(stack.pop(), m[2], `</${m[2]}> closes the open tag`);
    else if (!m[4]) { if (stack.length === 0) roots++; stack.push(m[2]!); }
    else if (stack.length === 0) roots++;
  }
  assert.equal(pos, body.length, `unparsed XML at ${pos}: ${body.slice(pos, pos + 60)}`);
  assert.deepEqual(stack, []);
  assert.equal(roots, 1);
}

test('evolve run meets the target; status, ls, show, diff, why and plot read what it recorded', async () => {
  const root = defectTree();
  const dir = mkdtempSync(join(tmpdir(), 'evolve-cli-'));
  const arch = ['--archive', dir];
  try {
    const run = await cli(['evolve', 'run', '--target', 'test:src/m.test.ts', '--budget', '10,5m', '--source', root, ...arch]);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^run r-\S+: met: candidate "c-[0-9a-f]{16}" fixes every target test/);
    assert.match(run.out, /budget {3}10 evaluations, 5 min; used 2 evaluations/);
    const status = await cli(['evolve', 'status', ...arch]);
    assert.match(status.out, /best {5}c-[0-9a-f]{16} fitness 1/);
    const ls = await cli(['evolve', 'ls', '--accepted', ...arch]);
    const id = /^(c-[0-9a-f]{16})\s+accepted/.exec(ls.out)![1]!;
    assert.equal(ls.out.trim().split('\n').length, 1);
    assert.match((await cli(['evolve', 'show', id.slice(0, 8), ...arch])).out, /proposer given\/swap-operator; seed 1/);
    const diff = (await cli(['evolve', 'diff', id, ...arch])).out;
    assert.match(diff, /^-export const add = \(a: number, b: number\): number => a - b;\n\+export const add = \(a: number, b: number\): number => a \+ b;$/m);
    const why = await cli(['evolve', 'why', id, ...arch]);
    assert.match(why.out, /pass {2}static {9}gates pass/);
    assert.match(why.out, /pass {2}fail-to-pass {3}1\/1 fixed \(5 ms wall, 4 ms CPU\)\n {2}decision: accepted: fixes 1 of 1/);
    const runId = /^run (r-\S+):/.exec(run.out)![1]!;
    const svg = join(dir, 'run.svg');
    assert.equal((await cli(['evolve', 'plot', runId, '--out', svg, ...arch])).code, 0);
    const text = readFileSync(svg, 'utf8');
    assertWellFormedXml(text);
    for (const bad of ['<svg><g></svg>', '<svg a=1></svg>', '<svg>a & b</svg>', '<a/><b/>']) assert.throws(() => assertWellFormedXml(bad), bad);
    assert.match(text, /fitness over 2 evaluations/);
    assert.ok(text.includes(id), 'the lineage shows the accepted candidate');
    assert.equal((await cli(['evolve', 'show', 'c-ffff', ...arch])).code, 3);
    const again = await cli(['evolve', 'run', '--resume', runId, '--source', root, ...arch]);
    assert.equal(again.code, 2, 'a finished run is not resumed');
    assert.match(again.err, /Cannot resume run "r-\S+": it ended \(met/);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});

test('evolve run refuses unknown targets and empty or zero budgets with code 2, writing no archive', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'evolve-cli-bad-')), 'archive');
  try {
    for (const [target, budget, msg] of [['speed', '5', /Cannot use target "speed": expected/], ['bench:x', '', /empty budget/],
      ['bench:x', '0', /positive whole number, got "0"/], ['bench:x', '0m', /positive number/], ['test:src/m.test.ts#nope', '3', /does not fail/]] as const) {
      const r = await cli(['evolve', 'run', '--target', target, '--budget', budget, '--source', tmpdir(), '--archive', dir]);
      assert.equal(r.code, 2, `${target} ${budget}: ${r.err}`);
      assert.match(r.err, msg);
    }
    assert.equal(existsSync(dir), false, 'nothing was written');
    assert.equal((await cli(['evolve', 'run', '--budget', '3', '--archive', dir])).code, 2);
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
});

test('evolve run refuses an archive another live run holds, naming its pid; a missing part fails by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-cli-lock-'));
  const holder = openArchive(dir);
  try {
    const r = await cli(['evolve', 'run', '--target', 'bench:x', '--budget', '3', '--source', tmpdir(), '--archive', dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`process ${process.pid} holds its lock`));
  } finally {
    holder.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const noEvaluator = async (): Promise<never> => {
    throw Object.assign(new Error('Cannot run the loop: this build has no evaluator'), { name: 'EvolvePartMissingError' });
  };
  const missing = await cli(['evolve', 'run', '--target', 'bench:x', '--budget', '3', '--source', tmpdir(), '--archive', dir], { ...parts, evaluator: noEvaluator });
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no evaluator/);
  const unknown = await cli(['evolve', 'run', '--target', 'bench:x', '--budget', '3', '--proposer', 'oracle', '--source', tmpdir(), '--archive', dir], { ...parts, proposers: realParts.proposers });
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /Cannot use proposer "oracle": known are mutation, template, copy, identifier, param-search/);
});

test('evolve run refuses a source the sandbox would hide and an unknown --runner, by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-cli-runner-'));
  try {
    await assert.rejects(realParts.evaluator(dir, 'sandbox'), { name: 'EvolvePartMissingError', message: /lies under \/tmp, which the sandbox hides/ });
    const bad = await cli(['evolve', 'run', '--target', 'bench:x', '--budget', '3', '--runner', 'docker', '--source', dir, '--archive', dir], parts);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Cannot use --runner "docker": give sandbox .* or local/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
