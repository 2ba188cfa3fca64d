// The parent's side of every comparison: a digest of the parent tree, and its runs of test files cached per
// file under that digest, so that each stage runs only the candidate. A parent run that cannot be trusted
// (no canary failure, bad records) stops the evaluation: nothing can be judged against it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ParentBaselineError } from './errors.js';
import { runTestFiles, type FileRun, type TestRunConfig } from './test-run.js';

/** What the parent's digest covers: its sources, its compiled code, its test runner and settings. */
const DIGESTED = ['src', 'dist', 'scripts', 'package.json', 'tsconfig.json'];

/** sha256 over the paths and bytes of the parent's code (the build's own bookkeeping left out). */
export function treeDigest(root: string): string {
  const h = createHash('sha256');
  const add = (rel: string): void => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const n of readdirSync(abs).sort()) add(posix.join(rel, n));
    } else if (!rel.endsWith('.tsbuildinfo')) {
      h.update(`${rel}\0${statSync(abs).size}\0`).update(readFileSync(abs));
    }
  };
  for (const p of DIGESTED) add(p);
  return `t-${h.digest('hex').slice(0, 16)}`;
}

export interface ParentRuns {
  readonly digest: string;
  /** The parent's runs of `files` (cached ones are not rerun); the CPU and wall time of the new ones. */
  get(files: readonly string[]): Promise<{ runs: Map<string, FileRun>; cpuMs: number; wallMs: number }>;
}

/** Parent runs cached by (digest, file); `cache` may be shared between evaluators of the same parent. */
export function createParentRuns(cfg: TestRunConfig, digest: string, concurrency: number, cache = new Map<string, FileRun>()): ParentRuns {
  return {
    digest,
    async get(files) {
      const todo = files.filter((f) => !cache.has(`${digest}\0${f}`));
      const fresh = await runTestFiles(cfg, todo, [], concurrency);
      for (const r of fresh) {
        if (r.problem) throw new ParentBaselineError(`Cannot judge against the parent "${digest}": its own run of "${r.file}" is not trustworthy: ${r.problem}`);
        cache.set(`${digest}\0${r.file}`, r);
      }
      const runs = new Map(files.map((f) => [f, cache.get(`${digest}\0${f}`)!]));
      return { runs, cpuMs: fresh.reduce((s, r) => s + r.cpuMs, 0), wallMs: fresh.reduce((s, r) => s + r.wallMs, 0) };
    },
  };
}
