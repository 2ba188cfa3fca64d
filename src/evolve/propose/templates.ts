// Fix templates (PraPR and TBar style) at the suspect lines: a null/undefined guard, a wrong variable from
// the enclosing function, swapped arguments, a changed return value, and a condition widened or narrowed.
// Each template is a function from a node to edits, like the mutation operators.
import type * as TS from 'typescript';
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { FileCache, parseFile, toProposals, type Edit, type EditIdea, type Ts } from './edit.js';
import { conditionOf } from './operators.js';
import { enclosingFunction, functionLocals, indentOf, isStatementInList, nodesOnLine } from './scope.js';

type Template = (ts: Ts, node: TS.Node, sf: TS.SourceFile) => Edit[];

const span = (sf: TS.SourceFile, n: TS.Node, text: string): Edit => ({ start: n.getStart(sf), end: n.end, text });

/** `a.b` -> `a?.b`, `a[i]` -> `a?.[i]`, and `if (a == null) return;` before the statement that reads `a.b`. */
const nullGuard: Template = (ts, node, sf) => {
  if (!(ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) || node.questionDotToken) return [];
  if (node.expression.kind === ts.SyntaxKind.ThisKeyword) return [];
  const recv = node.expression;
  const dot = ts.isPropertyAccessExpression(node) ? `?.${node.name.text}` : `?.[${node.argumentExpression.getText(sf)}]`;
  const out: Edit[] = [{ start: recv.end, end: node.end, text: dot }];
  let stmt: TS.Node | undefined = node;
  while (stmt && !isStatementInList(ts, stmt)) stmt = stmt.parent;
  if (stmt && ts.isIdentifier(recv) && enclosingFunction(ts, stmt)) {
    const at = stmt.getStart(sf);
    out.push({ start: at, end: at, text: `if (${recv.text} == null) return;\n${indentOf(sf, stmt)}` });
  }
  return out;
};

/** An identifier read at the line replaced by another local of the same function. */
const wrongVariable: Template = (ts, node, sf) => {
  if (!ts.isIdentifier(node) || !ts.isExpression(node)) return [];
  const p = node.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === node) || (p as { name?: TS.Node }).name === node) return [];
  const locals = functionLocals(ts, node);
  if (!locals.includes(node.text)) return [];
  return locals.filter((n) => n !== node.text).map((n) => span(sf, node, n));
};

/** Swaps neighbouring arguments of a call. */
const argumentSwap: Template = (ts, node, sf) => {
  if (!(ts.isCallExpression(node) || ts.isNewExpression(node)) || !node.arguments || node.arguments.length < 2) return [];
  const out: Edit[] = [];
  const args = node.arguments;
  for (let i = 0; i + 1 < args.length; i++) {
    const a = args[i]!, b = args[i + 1]!;
    const between = sf.text.slice(a.end, b.getStart(sf));
    out.push({ start: a.getStart(sf), end: b.end, text: `${b.getText(sf)}${between}${a.getText(sf)}` });
  }
  return out;
};

/** A return value replaced by another value the same function returns, by its negation, or by undefined. */
const returnChange: Template = (ts, node, sf) => {
  if (!ts.isReturnStatement(node) || !node.expression) return [];
  const e = node.expression;
  const fn = enclosingFunction(ts, node);
  const others = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isReturnStatement(n) && n.expression && n !== node) others.add(n.expression.getText(sf));
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  if (fn) ts.forEachChild(fn, visit);
  others.add(`!(${e.getText(sf)})`);
  others.add('undefined');
  others.delete(e.getText(sf));
  return [...others].map((t) => span(sf, e, t));
};

/** Top-level operands of a chain of one logical operator. */
function operands(ts: Ts, e: TS.Expression, op: TS.SyntaxKind): TS.Expression[] {
  const inner = ts.isParenthesizedExpression(e) ? e.expression : e;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === op) return [...operands(ts, inner.left, op), ...operands(ts, inner.right, op)];
  return [e];
}

/** Widen: drop one conjunct of `a && b`; narrow: drop one disjunct of `a || b`, or add a condition the function tests elsewhere. */
function conditionTemplate(kind: 'widen' | 'narrow'): Template {
  return (ts, node, sf) => {
    const c = conditionOf(ts, node);
    if (!c) return [];
    const op = kind === 'widen' ? ts.SyntaxKind.AmpersandAmpersandToken : ts.SyntaxKind.BarBarToken;
    const parts = operands(ts, c, op);
    const sep = kind === 'widen' ? ' && ' : ' || ';
    const out: Edit[] = parts.length < 2 ? [] : parts.map((_, i) => span(sf, c, parts.filter((__, j) => j !== i).map((p) => p.getText(sf)).join(sep)));
    if (kind === 'narrow') {
      const fn = enclosingFunction(ts, node);
      const seen = new Set<string>();
      const visit = (n: TS.Node): void => {
        const other = conditionOf(ts, n);
        if (other && n !== node) seen.add(other.getText(sf));
        if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
      };
      if (fn) ts.forEachChild(fn, visit);
      seen.delete(c.getText(sf));
      for (const o of [...seen].slice(0, 3)) out.push(span(sf, c, `(${c.getText(sf)}) && (${o})`));
    }
    return out;
  };
}

export const FIX_TEMPLATES: Record<string, Template> = {
  'null-guard': nullGuard,
  'wrong-variable': wrongVariable,
  'argument-swap': argumentSwap,
  'return-change': returnChange,
  'condition-widen': conditionTemplate('widen'),
  'condition-narrow': conditionTemplate('narrow'),
};

/** The fix-template proposer. */
export function templateProposer(ts: Ts, templates: Record<string, Template> = FIX_TEMPLATES): Proposer {
  return {
    name: 'templates',
    propose(ctx: ProposeContext): AsyncIterable<Proposal> {
      const files = new FileCache(ctx.root);
      async function* ideas(): AsyncIterable<EditIdea> {
        for (const s of ctx.suspects) {
          const text = await files.read(s.path);
          const sf = parseFile(ts, s.path, text);
          for (const node of nodesOnLine(ts, sf, s.line)) {
            for (const [operator, t] of Object.entries(templates)) {
              for (const edit of t(ts, node, sf)) {
                const was = text.slice(edit.start, edit.end);
                yield { path: s.path, edit, operator, prior: s.score, description: `${operator} at ${s.path}:${s.line}: "${was}" -> "${edit.text}"` };
              }
            }
          }
        }
      }
      return toProposals(ts, files, ideas(), { proposer: 'templates', limit: ctx.limit, seed: ctx.seed });
    },
  };
}
