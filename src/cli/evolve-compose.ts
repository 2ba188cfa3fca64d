// The composition root of `dialogos evolve run`: the parts of the loop that live in other folders of
// src/evolve (the sandbox runner, the evaluator cascade, the proposers, fault localisation), found by name
// on src/evolve/index.ts, plus what the loop records of the tools and which tests fail. A part that is not
// in this build makes `run` fail by name, never run with a stand-in.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Evaluate, FailingTests, Proposer, Suspect, Target, ToolVersions } from '../evolve/index.js';
import { failingFromRecords } from '../evolve/index.js';

/** A part of the loop that this build does not have. */
export class EvolvePartMissingError extends Error {
  override name = 'EvolvePartMissingError';
}

/** A --proposer name that names no proposer. */
export class UnknownProposerError extends Error {
  override name = 'UnknownProposerError';
}

/** What `evolve run` needs beyond the archive: the parts, given the source tree. */
export interface EvolveParts {
  proposers(root: string, names: string[] | undefined): Promise<Proposer[]>;
  evaluator(root: string): Promise<Evaluate>;
  localise?(root: string): Promise<(t: Target) => Promise<Suspect[]>>;
  failing(root: string): FailingTests;
  tools(root: string): ToolVersions;
}

type Face = Record<string, unknown>;
const need = (face: Face, name: string, what: string): ((...a: unknown[]) => unknown) => {
  const f = face[name];
  if (typeof f !== 'function') throw new EvolvePartMissingError(`Cannot run the loop: this build has no ${what} ("${name}" is not exported by src/evolve/index.ts)`);
  return f as (...a: unknown[]) => unknown;
};

/** The proposers by the names `--proposer` takes, as the propose folder exports their factories. */
const PROPOSERS: Record<string, string> = { mutation: 'mutationProposer', template: 'templateProposer', copy: 'copyProposer', identifier: 'identifierProposer' };

const face = async (): Promise<Face> => (await import('../evolve/index.js')) as Face;

/**
 * The parts as the other folders of src/evolve export them (by name, on src/evolve/index.ts):
 * createSandboxRunner({ jail }) (jail: $DIALOGOS_JAIL or <root>/build/native/jail), createEvaluator({ root,
 * runner, ts }), the proposer factories of PROPOSERS called with ts and merged by combinedProposer(ts, list),
 * and localise({ root, failing, passing }).
 */
export const realParts: EvolveParts = {
  async proposers(_root, names) {
    const f = await face();
    const ts = await import('typescript');
    const wanted = names?.length ? names : Object.keys(PROPOSERS);
    const unknown = wanted.filter((n) => !PROPOSERS[n]);
    if (unknown.length) throw new UnknownProposerError(`Cannot use proposer "${unknown[0]}": known are ${Object.keys(PROPOSERS).join(', ')}`);
    const list = wanted.map((n) => need(f, PROPOSERS[n]!, `${n} proposer`)(ts) as Proposer);
    return [need(f, 'combinedProposer', 'combined proposer')(ts, list) as Proposer];
  },
  async evaluator(root) {
    const f = await face();
    const jail = process.env.DIALOGOS_JAIL ?? join(root, 'build', 'native', 'jail');
    const runner = need(f, 'createSandboxRunner', 'sandbox runner')({ jail });
    const ev = need(f, 'createEvaluator', 'evaluator')({ root, runner, ts: await import('typescript') }) as { evaluate: Evaluate };
    return (c, t) => ev.evaluate(c, t);
  },
  async localise(root) {
    const f = await face();
    const run = need(f, 'localise', 'fault localisation') as (o: unknown) => Promise<Suspect[]>;
    return async (t) => (t.kind === 'tests' ? run({ root, failing: t.failToPass, passing: [] }) : []);
  },
  failing: (root) => async (filter) => unitFailures(root, filter),
  tools: toolVersions,
};

/** Runs the unit tests (whose path contains `filter`) and reads which failed from the per-test records. */
function unitFailures(root: string, filter?: string): Promise<{ file: string; name: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-failing-'));
  try {
    const file = join(dir, 'unit.tests.json');
    const dist = filter?.replace(/^src\//, '').replace(/\.ts$/, '.js');
    try {
      execFileSync(process.execPath, ['scripts/run-tests.mjs', 'unit', ...(dist ? [dist] : []), '--results', file], { cwd: root, stdio: 'ignore' });
    } catch {
      // failing tests make the runner exit non-zero: the records say which
    }
    return Promise.resolve(failingFromRecords(JSON.parse(readFileSync(file, 'utf8'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** sha256 over the paths and bytes of the tree's src/ files, in path order. */
export function treeDigest(root: string): string | null {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const n of readdirSync(join(root, rel)).sort()) {
      const r = `${rel}/${n}`;
      if (statSync(join(root, r)).isDirectory()) walk(r);
      else h.update(`${r}\0`).update(readFileSync(join(root, r))).update('\0');
    }
  };
  try {
    walk('src');
    return h.digest('hex');
  } catch {
    return null;
  }
}

export function toolVersions(root: string): ToolVersions {
  let typescript = 'unknown', commit: string | null = null;
  try { typescript = String((JSON.parse(readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version?: string }).version); } catch { /* not installed */ }
  try { commit = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null; } catch { /* not a checkout */ }
  return { node: process.version, typescript, commit, treeDigest: treeDigest(root) };
}
