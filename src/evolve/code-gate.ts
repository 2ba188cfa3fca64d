// The second gate: what a candidate's code may newly do. Each changed TypeScript or JavaScript file is read
// as a syntax tree before and after; a capability (process control, environment sniffing, globals,
// prototypes, eval, network, child processes, keys) that the parent's file used fewer times than the
// candidate's is refused, and so is code that drops logging, asserts or throws, marks tests skipped or only,
// silences the type checker, or raises a timeout, budget or limit. Counting, not line grepping: moving a line
// is free, renaming `process` to `globalThis['pro' + 'cess']` is not.
import type * as TS from 'typescript';
import type { FileChange, Violation } from './candidate.js';

type Ts = typeof TS;

/** Modules a candidate may not newly import: network, processes, the debugger, the judge's own assert. */
const FORBIDDEN_MODULES = /^(node:)?(child_process|net|http|https|http2|dgram|dns|tls|cluster|inspector|vm|worker_threads|assert(\/strict)?|test|v8|perf_hooks|fs)$/;
/** Names that reach outside the code's own data. */
const AMBIENT = new Set(['process', 'globalThis', 'global', 'eval', 'Function', 'Reflect', 'Proxy', 'require', '__proto__', 'setPrototypeOf', 'defineProperty', 'prototype', 'performance', 'Date']);
const BUDGET_NAME = /timeout|budget|limit|max|retries|tries|deadline|interval|(ms|seconds|bytes)$/i;
const DIRECTIVE = /@ts-(ignore|expect-error|nocheck)|eslint-disable|c8 ignore|istanbul ignore/g;
const SECRET_TEXT = /(^|\/)keys?\/|\.key\b|machine\.key|api\.token|\/proc\/\d*|ptrace|\/dev\/mem/i;

interface Facts {
  uses: Map<string, number>;
  /** Numeric literals under budget-like names: name → the largest value. */
  budgets: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

function nameOf(ts: Ts, n: TS.Node): string | undefined {
  const p = n.parent;
  if ((ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p)) && p.name && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  if (ts.isBinaryExpression(p) && ts.isIdentifier(p.left)) return p.left.text;
  return undefined;
}

function factsOf(ts: Ts, path: string, text: string): Facts {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const uses = new Map<string, number>();
  const budgets = new Map<string, number>();
  bump(uses, 'directive', [...text.matchAll(DIRECTIVE)].length);
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n) && AMBIENT.has(n.text)) bump(uses, `ambient:${n.text}`);
    else if (ts.isStringLiteralLike(n)) {
      const specifier = ts.isImportDeclaration(n.parent) || ts.isExportDeclaration(n.parent) || ts.isCallExpression(n.parent);
      if (FORBIDDEN_MODULES.test(n.text) && specifier) bump(uses, `module:${n.text.replace(/^node:/, '')}`);
      if (SECRET_TEXT.test(n.text)) bump(uses, 'secret-path');
      if (/^(skip|only|todo)$/.test(n.text) && ts.isElementAccessExpression(n.parent)) bump(uses, `test-marker:${n.text}`);
    } else if (ts.isPropertyAccessExpression(n) && /^(skip|only|todo)$/.test(n.name.text)) bump(uses, `test-marker:${n.name.text}`);
    else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && /^(skip|only|todo)$/.test(n.name.text)) bump(uses, `test-marker:${n.name.text}`);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) bump(uses, 'dynamic-import');
    else if (ts.isThrowStatement(n)) bump(uses, 'keep:throw');
    else if (ts.isCallExpression(n)) {
      const callee = n.expression.getText(sf);
      if (/^(console|log|logger|journal)\b|\.(log|warn|error|info|debug|notice)$/.test(callee)) bump(uses, 'keep:logging');
      if (/^assert\b|\.assert$|^invariant$/.test(callee)) bump(uses, 'keep:assert');
    } else if (ts.isNumericLiteral(n)) {
      const name = nameOf(ts, n);
      const value = Number(n.text.replace(/_/g, ''));
      if (name && BUDGET_NAME.test(name) && Number.isFinite(value)) budgets.set(name, Math.max(budgets.get(name) ?? -Infinity, value));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { uses, budgets };
}

const RULE: Record<string, string> = {
  directive: 'silences-checks', 'secret-path': 'reads-secrets', 'dynamic-import': 'dynamic-import',
};
const ruleOf = (key: string): string => RULE[key] ?? (key.startsWith('ambient:') ? 'ambient-access' : key.startsWith('module:') ? 'forbidden-module' : 'test-marker');

const isCode = (path: string): boolean => /\.(ts|mts|cts|js|mjs|cjs)$/.test(path);

/** Every code-level reason to refuse the changes (files that are not code are left to the path gate). */
export function checkCode(ts: Ts, changes: readonly FileChange[]): Violation[] {
  const out: Violation[] = [];
  for (const c of changes) {
    if (!isCode(c.path) || c.after === null) continue;
    const before = factsOf(ts, c.path, c.before ?? '');
    const after = factsOf(ts, c.path, c.after);
    for (const [key, n] of after.uses) {
      const was = before.uses.get(key) ?? 0;
      if (key.startsWith('keep:') || n <= was) continue;
      out.push({ rule: ruleOf(key), path: c.path, detail: `uses ${key.replace(/^\w+[-\w]*:/, '')} ${n} times; the parent ${was}`, approvable: false });
    }
    for (const [key, was] of before.uses) {
      if (!key.startsWith('keep:') || (after.uses.get(key) ?? 0) >= was) continue;
      const what = key.slice(5);
      out.push({ rule: `removes-${what}`, path: c.path, detail: `${what} ${was} times in the parent, ${after.uses.get(key) ?? 0} after`, approvable: false });
    }
    for (const [name, value] of after.budgets) {
      const was = before.budgets.get(name);
      if (was !== undefined && value > was) out.push({ rule: 'raises-budget', path: c.path, detail: `${name} goes from ${was} to ${value}`, approvable: false });
    }
  }
  return out;
}
