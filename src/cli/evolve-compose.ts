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

/** The parts as src/evolve/index.ts exports them (createRunner, createEvaluator, createProposers, localise). */
export const realParts: EvolveParts = {
  async proposers(root, names) {
    const face = (await import('../evolve/index.js')) as Face;
    return (await need(face, 'createProposers', 'proposers')({ root, names })) as Proposer[];
  },
  async evaluator(root) {
    const face = (await import('../evolve/index.js')) as Face;
    const runner = await need(face, 'createRunner', 'sandbox runner')({ root });
    const ts = await import('typescript');
    const ev = (await need(face, 'createEvaluator', 'evaluator')({ root, runner, ts })) as { evaluate: Evaluate };
    return (c, t) => ev.evaluate(c, t);
  },
  async localise(root) {
    const face = (await import('../evolve/index.js')) as Face;
    if (typeof face.localise !== 'function') return async () => [];
    return (t) => (face.localise as (o: unknown) => Promise<Suspect[]>)({ root, target: t });
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
