// The first gate of the evaluator: which files a candidate may touch at all. Tests, fixtures and the test
// kits are the judge's, never the candidate's; protected paths (boot stage, signing and trust, the evaluator,
// PID 1, the test runner, package and compiler settings) need the owner's approval whatever the score.
import type { FileChange, Violation } from './candidate.js';

/** Paths whose change needs the owner's explicit approval (a prefix ends with '/'). */
export const PROTECTED_PATHS: readonly string[] = [
  'src/boot/', 'native/', 'src/evolve/', 'scripts/', '.ci/', 'src/testkit/',
  'src/gen/signature.ts', 'src/gen/keys.ts', 'src/gen/trust-file.ts', 'src/gen/verify.ts', 'src/core/keys.ts',
  'src/core/health.ts', 'defaults/health.json', 'src/architecture.test.ts',
  'package.json', 'package-lock.json', 'tsconfig.json', 'dialogos',
];

/** Files that judge candidates: a candidate that adds, edits or deletes one is refused outright. */
export function isJudgeFile(path: string): boolean {
  return /\.test\.ts$|\.test-util\.ts$|(^|\/)fixtures\/|^src\/testkit\/|^src\/dialog\/eval\//.test(path);
}

export function isProtected(path: string): boolean {
  return PROTECTED_PATHS.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));
}

export interface ScopeLimits {
  /** Prefixes a candidate may change (its target's scope); default ['src/']. */
  scope?: readonly string[];
  /** At most this many files (default 8) and changed lines (default 400). */
  maxFiles?: number;
  maxChangedLines?: number;
}

const changedLines = (c: FileChange): number => {
  const a = c.before?.split('\n') ?? [];
  const b = c.after?.split('\n') ?? [];
  const seen = new Map<string, number>();
  for (const l of a) seen.set(l, (seen.get(l) ?? 0) + 1);
  let same = 0;
  for (const l of b) {
    const n = seen.get(l) ?? 0;
    if (n > 0) { same++; seen.set(l, n - 1); }
  }
  return a.length - same + (b.length - same);
};

/** Every path-level reason to refuse `changes`; empty when the change may go on to the code gates. */
export function checkPaths(changes: readonly FileChange[], limits: ScopeLimits = {}): Violation[] {
  const out: Violation[] = [];
  const scope = limits.scope ?? ['src/'];
  const v = (rule: string, path: string, detail: string, approvable = false) => out.push({ rule, path, detail, approvable });
  if (changes.length === 0) v('empty-change', '', 'the candidate changes no file');
  if (changes.length > (limits.maxFiles ?? 8)) v('too-many-files', '', `the candidate changes ${changes.length} files; the limit is ${limits.maxFiles ?? 8}`);
  let lines = 0;
  for (const c of changes) {
    if (!/^[\w@.-]+(\/[\w@.-]+)*$/.test(c.path) || c.path.split('/').some((s) => s === '..' || s === '.')) {
      v('bad-path', c.path, `"${c.path}" is not a plain relative path inside the tree`);
      continue;
    }
    if (c.before === null && c.after === null) v('bad-path', c.path, 'a change must add, edit or delete the file');
    if (isJudgeFile(c.path)) v('edits-tests', c.path, `${c.before === null ? 'adds' : c.after === null ? 'deletes' : 'edits'} a test, fixture or test kit`);
    else if (isProtected(c.path)) v('protected-path', c.path, 'a protected path: needs the owner\'s approval', true);
    else if (!scope.some((p) => c.path.startsWith(p))) v('out-of-scope', c.path, `outside the target's scope (${scope.join(', ')})`);
    lines += changedLines(c);
  }
  if (lines > (limits.maxChangedLines ?? 400)) v('too-large', '', `the candidate changes ${lines} lines; the limit is ${limits.maxChangedLines ?? 400}`);
  return out;
}
