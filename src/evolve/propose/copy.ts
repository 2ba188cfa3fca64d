// Statement copy (GenProg's ingredients): statements of the same file whose free identifiers are all in
// scope at the suspect statement are inserted before it, after it, or in its place. The closest ingredients
// come first: code near a bug is the likeliest source of its fix.
import type * as TS from 'typescript';
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { FileCache, parseFile, toProposals, type EditIdea, type Ts } from './edit.js';
import { nodesOf } from './sites.js';
import { freeIdentifiers, indentOf, isStatementInList, namesInScope, statementsAt } from './scope.js';

export interface CopyOptions {
  /** Ingredients tried per suspect statement (default 20). */
  ingredients?: number;
  /** Longest ingredient in characters (default 160). */
  maxLength?: number;
}

const COPYABLE = (ts: Ts, n: TS.Node) => ts.isExpressionStatement(n) || ts.isIfStatement(n) || ts.isReturnStatement(n) || ts.isVariableStatement(n) || ts.isThrowStatement(n);

function ingredientsOf(ts: Ts, sf: TS.SourceFile, maxLength: number): TS.Statement[] {
  return nodesOf(ts, sf).filter((n): n is TS.Statement => COPYABLE(ts, n) && isStatementInList(ts, n) && n.getText(sf).length <= maxLength);
}

/** Ideas for one target statement: each ingredient in scope before, after and instead of it. */
function* copyIdeas(ts: Ts, sf: TS.SourceFile, path: string, target: TS.Statement, pool: TS.Statement[], o: { n: number; prior: number }): Iterable<EditIdea> {
  const scope = namesInScope(ts, target, sf);
  const targetText = target.getText(sf);
  const near = pool
    .filter((s) => s !== target && !(s.pos <= target.pos && target.end <= s.end) && !(target.pos <= s.pos && s.end <= target.end))
    .filter((s) => s.getText(sf) !== targetText && [...freeIdentifiers(ts, s)].every((id) => scope.has(id)))
    .sort((a, b) => Math.abs(a.pos - target.pos) - Math.abs(b.pos - target.pos))
    .slice(0, o.n);
  const indent = indentOf(sf, target);
  const line = sf.getLineAndCharacterOfPosition(target.getStart(sf)).line + 1;
  for (const s of near) {
    const text = s.getText(sf);
    const at = target.getStart(sf);
    const what = `"${text.split('\n')[0]}" (from line ${sf.getLineAndCharacterOfPosition(s.getStart(sf)).line + 1})`;
    yield { path, edit: { start: at, end: target.end, text }, operator: 'copy-replace', prior: o.prior, description: `copy-replace at ${path}:${line}: ${what}` };
    yield { path, edit: { start: at, end: at, text: `${text}\n${indent}` }, operator: 'copy-before', prior: o.prior, description: `copy-before at ${path}:${line}: ${what}` };
    yield { path, edit: { start: target.end, end: target.end, text: `\n${indent}${text}` }, operator: 'copy-after', prior: o.prior, description: `copy-after at ${path}:${line}: ${what}` };
  }
}

/** The statement-copy proposer. */
export function copyProposer(ts: Ts, o: CopyOptions = {}): Proposer {
  return {
    name: 'copy',
    propose(ctx: ProposeContext): AsyncIterable<Proposal> {
      const files = new FileCache(ctx.root);
      async function* ideas(): AsyncIterable<EditIdea> {
        for (const s of ctx.suspects) {
          const sf = parseFile(ts, s.path, await files.read(s.path));
          const pool = ingredientsOf(ts, sf, o.maxLength ?? 160);
          const targets = statementsAt(ts, sf, s.line);
          const target = targets.at(-1);
          if (target) yield* copyIdeas(ts, sf, s.path, target, pool, { n: o.ingredients ?? 20, prior: s.score });
        }
      }
      return toProposals(ts, files, ideas(), { proposer: 'copy', limit: ctx.limit, seed: ctx.seed });
    },
  };
}
